import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import {
  clockText,
  metricLabel,
  runningTone,
  type SlaMetric,
  type SlaTone,
  span,
  useNow,
} from '../sla/sla-time.ts';
import { ticketKey } from './ticket-api.ts';
import '../sla/sla.css';

type TicketSla = {
  metric: SlaMetric;
  state: 'running' | 'paused' | 'met' | 'breached';
  minutesLeft: number;
  dueAt: string | null;
  warnAt: string | null;
  breachedAt: string | null;
  completedAt: string | null;
};

function describe(sla: TicketSla, now: number): { tone: SlaTone; text: string } {
  if (sla.state === 'met') return { tone: 'met', text: t('sla.met', { metric: metricLabel(sla.metric) }) };
  if (sla.state === 'paused')
    return {
      tone: 'paused',
      text: t('sla.paused', { metric: metricLabel(sla.metric), time: span(sla.minutesLeft * 60_000) }),
    };
  const breachedAt = sla.breachedAt ?? sla.dueAt ?? sla.completedAt;
  if (sla.state === 'breached' && breachedAt)
    return { tone: 'breached', text: clockText(sla.metric, 'breached', breachedAt, now) };
  if (!sla.dueAt) return { tone: 'ok', text: metricLabel(sla.metric) };
  const tone = runningTone(sla.dueAt, sla.warnAt, now);
  return { tone, text: clockText(sla.metric, tone, sla.dueAt, now) };
}

/** The ticket's SLA targets: time left on each running clock, a warning near the end, breaches in red. */
export function SlaPanel({ ticketId }: { ticketId: string }) {
  const now = useNow();
  // Under the ticket's key, so the stream's invalidation of the ticket refreshes it too.
  const slas = useQuery({
    queryKey: [...ticketKey(ticketId), 'sla'],
    queryFn: () => api<{ data: TicketSla[] }>(`/tickets/${ticketId}/sla`),
    select: (r) => r.data,
    refetchInterval: 60_000,
  });
  if (!slas.data?.length) return null;
  return (
    <section className="panel sla-panel" aria-labelledby="sla-panel-title">
      <h2 id="sla-panel-title">{t('sla.title')}</h2>
      <ul className="sla-list">
        {slas.data.map((sla) => {
          const { tone, text } = describe(sla, now);
          return (
            <li key={sla.metric} className={`sla-badge sla-${tone}`}>
              {tone === 'warning' && <span className="visually-hidden">{t('sla.warning')} </span>}
              {text}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
