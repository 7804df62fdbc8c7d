import { useMemo } from 'react';
import { applyFix, type CoachFlag, checkReply } from '../../../src/intel/coach-engine.ts';
import { defaultCoachRules } from '../../../src/intel/coach-rules.ts';
import { type MessageKey, t } from '../i18n/i18n.ts';
import { useMessages } from '../ticket/ticket-api.ts';
import { useCoachRules } from './intel-api.ts';
import './intel.css';

function fixLabel(flag: CoachFlag): string {
  const { phrase = '', replacement = '' } = flag.params;
  if (flag.rule === 'jargon' || flag.rule === 'blame' || flag.rule === 'style')
    return replacement
      ? t('intel.coach.fix.replace', { replacement })
      : t('intel.coach.fix.remove', { phrase });
  return t(`intel.coach.fix.${flag.rule}` as MessageKey);
}

const band = (score: number) => (score >= 85 ? 'good' : score >= 60 ? 'fair' : 'poor');

/**
 * The reply coach under the composer: checks the draft on every keystroke in the browser (the same
 * engine as POST /intel/coach/check) against the customer's last message and the workspace's rules.
 */
export function CoachBar({
  ticketId,
  text,
  onText,
}: {
  ticketId: string;
  text: string;
  onText: (text: string) => void;
}) {
  const messages = useMessages(ticketId).data;
  const customerText = useMemo(
    () => messages?.findLast((message) => message.kind === 'customer_message')?.body,
    [messages],
  );
  return <CoachHints text={text} customerText={customerText} onText={onText} />;
}

/** The coach's score and one-click fixes for a draft answering `customerText` (tickets and training). */
export function CoachHints({
  text,
  customerText,
  onText,
}: {
  text: string;
  customerText: string | undefined;
  onText: (text: string) => void;
}) {
  const rules = useCoachRules().data ?? defaultCoachRules;
  const result = useMemo(() => checkReply({ text, customerText }, rules), [text, customerText, rules]);
  if (!text.trim()) return null;
  return (
    <section className="coach-bar" aria-label={t('intel.coach.title')}>
      <p className={`coach-score ${band(result.score)}`} role="status">
        <meter min={0} max={100} low={60} high={85} optimum={100} value={result.score} aria-hidden="true" />
        {t('intel.coach.score', { score: result.score })}
        {result.flags.length === 0 && <span className="muted"> · {t('intel.coach.allGood')}</span>}
      </p>
      {result.flags.length > 0 && (
        <ul className="coach-flags" aria-label={t('intel.coach.flags')}>
          {result.flags.map((flag, index) => (
            <li key={`${flag.rule}:${flag.start ?? index}`} data-rule={flag.rule}>
              <span>{t(`intel.coach.flag.${flag.rule}` as MessageKey, flag.params)}</span>
              {flag.fix && (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onText(applyFix(text, flag.fix!))}
                >
                  {fixLabel(flag)}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
