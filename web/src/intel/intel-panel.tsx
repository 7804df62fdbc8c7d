import { Link } from 'wouter';
import { type MessageKey, t } from '../i18n/i18n.ts';
import { ArticleSuggestions } from './article-suggestions.tsx';
import { requestDraft, useLanguages, useSimilar, useSummary } from './intel-api.ts';
import './intel.css';
import { TriageBox } from './triage-box.tsx';

function languageName(code: string): string {
  try {
    return (
      new Intl.DisplayNames([document.documentElement.lang || 'en'], { type: 'language' }).of(code) ?? code
    );
  } catch {
    return code;
  }
}

function Summary({ ticketId }: { ticketId: string }) {
  const summary = useSummary(ticketId).data;
  if (!summary) return null;
  return (
    <>
      <h3>{t('intel.summary.title')}</h3>
      {summary.long ? (
        <ol className="intel-summary">
          {summary.sentences.map((sentence) => (
            <li key={`${sentence.messageId}:${sentence.text}`}>
              <span className="muted small">{t(`intel.summary.by.${sentence.kind}` as MessageKey)}:</span>{' '}
              {sentence.text}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted small">{t('intel.summary.short')}</p>
      )}
    </>
  );
}

function Similar({ ticketId, canReply }: { ticketId: string; canReply: boolean }) {
  const similar = useSimilar(ticketId);
  return (
    <>
      <h3>{t('intel.similar.title')}</h3>
      {similar.error && (
        <p role="alert" className="error">
          {t('common.error', { detail: similar.error.message })}
        </p>
      )}
      {similar.data?.length === 0 && <p className="muted small">{t('intel.similar.none')}</p>}
      <ul className="intel-similar">
        {similar.data?.map((other) => (
          <li key={other.ticketId} data-similar-ticket={other.ticketId}>
            <Link href={`/tickets/${other.ticketId}`}>
              #{other.number} {other.subject}
            </Link>{' '}
            <span className="muted small">
              {t('intel.similar.match', { percent: Math.round(other.score * 100) })}
            </span>
            <p className="similar-reply muted small">{other.reply.body}</p>
            {canReply && (
              <button
                type="button"
                className="link-button"
                aria-label={t('intel.similar.useFor', { number: other.number })}
                onClick={() => requestDraft(ticketId, other.reply.draft)}
              >
                {t('intel.similar.use')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * The side panel's assist section: triage's category, the customer's language, a thread summary,
 * knowledge-base articles and similar solved tickets.
 */
export function IntelPanel({
  ticketId,
  canReply,
  canUpdate,
}: {
  ticketId: string;
  canReply: boolean;
  canUpdate: boolean;
}) {
  const language = useLanguages(ticketId).data?.language;
  return (
    <section className="panel intel-panel" aria-labelledby="intel-title">
      <h2 id="intel-title">{t('intel.panel.title')}</h2>
      {language && language !== 'und' && (
        <p className="muted small" data-language={language}>
          {t('intel.language', { language: languageName(language) })}
        </p>
      )}
      <TriageBox ticketId={ticketId} canDecide={canUpdate} />
      <Summary ticketId={ticketId} />
      <ArticleSuggestions ticketId={ticketId} canReply={canReply} />
      <Similar ticketId={ticketId} canReply={canReply} />
    </section>
  );
}
