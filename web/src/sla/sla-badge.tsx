import { t } from '../i18n/i18n.ts';
import { clockText, runningTone, type SlaSummary, span, useNow } from './sla-time.ts';
import './sla.css';

/**
 * The inbox row's SLA badge: the nearest due (or breached) clock of the ticket, nothing without one.
 * Short on screen ("42 min left") so the subject keeps its room; the full sentence for screen readers.
 */
export function SlaBadge({ sla }: { sla: SlaSummary | null | undefined }) {
  const now = useNow();
  if (!sla) return null;
  const tone = sla.state === 'breached' ? 'breached' : runningTone(sla.dueAt, sla.warnAt, now);
  const at = tone === 'breached' ? (sla.breachedAt ?? sla.dueAt) : sla.dueAt;
  const time = span(Date.parse(at) - now);
  const full = clockText(sla.metric, tone, at, now);
  return (
    <span className={`sla-badge sla-${tone}`} title={full}>
      <span aria-hidden="true">
        {tone === 'breached' ? t('sla.short.breached', { time }) : t('sla.short.left', { time })}
      </span>
      <span className="visually-hidden">{full}</span>
    </span>
  );
}
