import { t } from '../i18n/i18n.ts';
import { useMood } from './intel-api.ts';
import './intel.css';

export type Mood = { label: string; trend: string; frustration: number; urgency: number };

// Frustration and urgency are 0–1 sums of signals: one strong frustration signal ("third time",
// a threat to leave) reaches 0.35, and urgency words alone 0.55.
const FRUSTRATED = 0.35;
const URGENT = 0.5;

/**
 * The customer's mood as a small pill: label and trend, with frustration and urgency when high.
 * `compact` (lists) shows the label alone and keeps the rest for the tooltip.
 */
export function MoodPill({ mood, compact = false }: { mood: Mood; compact?: boolean }) {
  const notes = [
    mood.trend !== 'steady' && t(`intel.mood.trend.${mood.trend}` as 'intel.mood.trend.improving'),
    mood.frustration >= FRUSTRATED && t('intel.mood.frustrated'),
    mood.urgency >= URGENT && t('intel.mood.urgent'),
  ].filter(Boolean);
  const label = t(`intel.mood.${mood.label}` as 'intel.mood.neutral');
  const text = [label, ...notes].join(' · ');
  return (
    <span
      className={`pill mood mood-${mood.label}`}
      title={compact ? text : t('intel.mood.title')}
      data-mood={mood.label}
    >
      {compact ? label : text}
    </span>
  );
}

/** The ticket header's mood, from the scores stored as each customer message arrived. */
export function TicketMood({ ticketId }: { ticketId: string }) {
  const mood = useMood(ticketId).data?.ticket;
  return mood ? <MoodPill mood={mood} /> : null;
}
