import { t } from '../i18n/i18n.ts';
import { useMood } from './intel-api.ts';

export type Mood = { label: string; trend: string; frustration: number; urgency: number };

// Frustration and urgency are 0–1 sums of signals: one strong frustration signal ("third time",
// a threat to leave) reaches 0.35, and urgency words alone 0.55.
const FRUSTRATED = 0.35;
const URGENT = 0.5;

/** The customer's mood as a small pill: label and trend, with frustration and urgency when high. */
export function MoodPill({ mood }: { mood: Mood }) {
  const notes = [
    mood.trend !== 'steady' && t(`intel.mood.trend.${mood.trend}` as 'intel.mood.trend.improving'),
    mood.frustration >= FRUSTRATED && t('intel.mood.frustrated'),
    mood.urgency >= URGENT && t('intel.mood.urgent'),
  ].filter(Boolean);
  const text = [t(`intel.mood.${mood.label}` as 'intel.mood.neutral'), ...notes].join(' · ');
  return (
    <span className={`pill mood mood-${mood.label}`} title={t('intel.mood.title')} data-mood={mood.label}>
      {text}
    </span>
  );
}

/** The ticket header's mood, from the scores stored as each customer message arrived. */
export function TicketMood({ ticketId }: { ticketId: string }) {
  const mood = useMood(ticketId).data?.ticket;
  return mood ? <MoodPill mood={mood} /> : null;
}
