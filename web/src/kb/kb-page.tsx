import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useNotice } from '../admin/admin-kit.tsx';
import { t } from '../i18n/i18n.ts';
import { type KbStatus, useArticle, useArticles } from './kb-api.ts';
import { KbEditor } from './kb-editor.tsx';
import './kb.css';

const filters: Array<KbStatus | undefined> = [undefined, 'draft', 'published', 'archived'];

/** The console's knowledge base: the article list beside the editor of the one picked (or a new one). */
export default function KbPage({ id }: { id: string | undefined }) {
  const [status, setStatus] = useState<KbStatus | undefined>();
  const [, navigate] = useLocation();
  const articles = useArticles(status);
  const creating = id === 'new';
  const article = useArticle(creating ? undefined : id);
  const notice = useNotice();
  return (
    <div className="kb-page">
      <h1>{t('kb.title')}</h1>
      {notice.element}
      <div className="kb-columns">
        <nav className="kb-list" aria-label={t('kb.list')}>
          <label htmlFor="kb-filter">{t('kb.filter')}</label>
          <select
            id="kb-filter"
            value={status ?? ''}
            onChange={(e) => setStatus((e.target.value || undefined) as KbStatus | undefined)}
          >
            {filters.map((f) => (
              <option key={f ?? 'all'} value={f ?? ''}>
                {t(f ? `kb.filter.${f}` : 'kb.filter.all')}
              </option>
            ))}
          </select>
          <Link href="/kb/new" className="button-link">
            {t('kb.new')}
          </Link>
          {articles.data?.length === 0 && <p className="muted">{t('kb.empty')}</p>}
          <ul>
            {(articles.data ?? []).map((a) => (
              <li key={a.id}>
                <Link href={`/kb/${a.id}`} aria-current={a.id === id ? 'page' : undefined}>
                  <span>{a.title}</span>
                  <span className={`kb-status ${a.status}`}>{t(`kb.status.${a.status}`)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {id && (creating || article.data) ? (
          <KbEditor
            key={creating ? 'new' : id}
            article={creating ? undefined : article.data}
            say={notice.say}
            onCreated={(created) => navigate(`/kb/${created.id}`)}
          />
        ) : (
          <p className="muted">{t('kb.pick')}</p>
        )}
      </div>
    </div>
  );
}
