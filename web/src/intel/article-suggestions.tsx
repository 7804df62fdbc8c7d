import { t } from '../i18n/i18n.ts';
import { requestDraft, useArticleSuggestions } from './intel-api.ts';

/**
 * The answer bot's articles for this ticket, as it would offer them to the customer, with one click
 * to put a link or the excerpt where the agent's cursor is in the reply.
 */
export function ArticleSuggestions({ ticketId, canReply }: { ticketId: string; canReply: boolean }) {
  const suggestions = useArticleSuggestions(ticketId);
  const data = suggestions.data;
  return (
    <>
      <h3>{t('intel.articles.title')}</h3>
      {suggestions.error && (
        <p role="alert" className="error">
          {t('common.error', { detail: suggestions.error.message })}
        </p>
      )}
      {data?.articles.length === 0 && <p className="muted small">{t('intel.articles.none')}</p>}
      {data && data.articles.length > 0 && !data.confident && (
        <p className="muted small">{t('intel.articles.unsure')}</p>
      )}
      <ul className="intel-articles">
        {data?.articles.map((article) => (
          <li key={article.id} data-article-id={article.id}>
            <a href={article.url} target="_blank" rel="noreferrer">
              {article.title}
            </a>
            <p className="muted small">{article.excerpt}</p>
            {canReply && (
              <span className="intel-actions">
                <button
                  type="button"
                  className="link-button"
                  aria-label={t('intel.articles.insertLinkTo', { title: article.title })}
                  onClick={() => requestDraft(ticketId, `${article.title}: ${article.url}`, 'insert')}
                >
                  {t('intel.articles.insertLink')}
                </button>
                <button
                  type="button"
                  className="link-button"
                  aria-label={t('intel.articles.insertExcerptOf', { title: article.title })}
                  onClick={() => requestDraft(ticketId, `${article.excerpt}\n${article.url}`, 'insert')}
                >
                  {t('intel.articles.insertExcerpt')}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
