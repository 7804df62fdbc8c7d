import { useEffect, useState } from 'react';
import { type MessageKey, t } from '../i18n/i18n.ts';

export type SlaMetric = 'first_reply' | 'next_reply' | 'resolution';
export type SlaTone = 'ok' | 'warning' | 'breached' | 'paused' | 'met';

/** The nearest open clock of a listed ticket (GET /api/v1/tickets answers it per row). */
export type SlaSummary = {
  metric: SlaMetric;
  state: 'running' | 'breached';
  dueAt: string;
  warnAt: string;
  breachedAt: string | null;
};

/** "42 min", "2 h 15 min", "3 d": a stretch of time, short enough for a badge. */
export function span(ms: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 60) return t('time.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 2 && rest > 0) return `${t('time.hours', { n: hours })} ${t('time.minutes', { n: rest })}`;
  if (hours < 48) return t('time.hours', { n: hours });
  return t('time.days', { n: Math.floor(hours / 24) });
}

export const metricLabel = (metric: SlaMetric) => t(`sla.metric.${metric}` as MessageKey);

/** A running clock's tone at `now`: breached once due, warning from the policy's warning time. */
export function runningTone(dueAt: string, warnAt: string | null, now: number): SlaTone {
  if (Date.parse(dueAt) <= now) return 'breached';
  if (warnAt && Date.parse(warnAt) <= now) return 'warning';
  return 'ok';
}

/** "First reply in 42 min" or "First reply breached 2 h ago". */
export function clockText(metric: SlaMetric, tone: SlaTone, at: string, now: number): string {
  const when = span(Date.parse(at) - now);
  return tone === 'breached'
    ? t('sla.breachedAgo', { metric: metricLabel(metric), time: when })
    : t('sla.dueIn', { metric: metricLabel(metric), time: when });
}

/** The current time, moving every `everyMs`, so "time left" counts down without refetching. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
