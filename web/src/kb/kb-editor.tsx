import { type FormEvent, useDeferredValue, useEffect, useState } from 'react';
import { FormProblem, shortDate } from '../admin/admin-kit.tsx';
import { t } from '../i18n/i18n.ts';
import { type KbArticle, type KbDraft, useArticleWrites, usePreview, useVersions } from './kb-api.ts';

const blank: KbDraft = { title: '', body: '', internal: false };

/** Markdown rendered by the server; its HTML is sanitised there exactly as a published article's. */
function Preview({ body }: { body: string }) {
  const preview = usePreview(useDeferredValue(body));
  return (
    <section className="kb-preview" aria-label={t('kb.preview')}>
      <h3>{t('kb.preview')}</h3>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by the server (kb-markdown). */}
      <div className="kb-preview-body" dangerouslySetInnerHTML={{ __html: preview.data?.html ?? '' }} />
    </section>
  );
}

function Versions({ article, onRestore }: { article: KbArticle; onRestore: (version: number) => void }) {
  const versions = useVersions(article.id, article.version);
  return (
    <section className="kb-versions" aria-label={t('kb.versions')}>
      <h3>{t('kb.versions')}</h3>
      <ol>
        {(versions.data?.data ?? []).map((v) => (
          <li key={v.version}>
            <span>
              {t('kb.version', { version: v.version })} · {v.title} · {shortDate(v.createdAt)}
            </span>
            {v.version === article.version ? (
              <em>{t('kb.current')}</em>
            ) : (
              <button
                type="button"
                aria-label={t('kb.restoreVersion', { version: v.version })}
                onClick={() => onRestore(v.version)}
              >
                {t('kb.restore')}
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Edits one article (or a new one): title and Markdown with a live preview, status and history. */
export function KbEditor({
  article,
  onCreated,
  say,
}: {
  article: KbArticle | undefined;
  onCreated: (article: KbArticle) => void;
  say: (text: string) => void;
}) {
  const [draft, setDraft] = useState<KbDraft>(blank);
  useEffect(() => {
    setDraft(article ? { title: article.title, body: article.body, internal: article.internal } : blank);
  }, [article?.id, article?.version, article]);
  const [restoring, setRestoring] = useState<number | undefined>();
  const writes = useArticleWrites((saved, what) => {
    const messages: Record<string, string> = {
      created: t('kb.created', { title: saved.title }),
      saved: t('kb.saved', { version: saved.version }),
      publish: t('kb.published', { title: saved.title }),
      archive: t('kb.archived', { title: saved.title }),
      unpublish: t('kb.unpublished', { title: saved.title }),
      restored: t('kb.restored', { version: restoring ?? 0, current: saved.version }),
    };
    say(messages[what] ?? '');
    if (what === 'created') onCreated(saved);
  });
  const error =
    writes.create.error ?? writes.save.error ?? writes.status.error ?? writes.restore.error ?? null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (article) writes.save.mutate({ id: article.id, draft });
    else writes.create.mutate(draft);
  };
  const act = (action: 'publish' | 'archive' | 'unpublish') =>
    article && writes.status.mutate({ id: article.id, action });
  return (
    <div className="kb-editor">
      <form onSubmit={submit} aria-label={article ? article.title : t('kb.new')}>
        <label htmlFor="kb-title">{t('kb.field.title')}</label>
        <input
          id="kb-title"
          value={draft.title}
          required
          onChange={(e) => setDraft({ ...draft, title: e.target.value })}
        />
        <label className="kb-check">
          <input
            type="checkbox"
            checked={draft.internal}
            onChange={(e) => setDraft({ ...draft, internal: e.target.checked })}
          />
          {t('kb.internal')}
        </label>
        <div className="kb-split">
          <div>
            <label htmlFor="kb-body">{t('kb.field.body')}</label>
            <textarea
              id="kb-body"
              value={draft.body}
              rows={18}
              onChange={(e) => setDraft({ ...draft, body: e.target.value })}
            />
          </div>
          <Preview body={draft.body} />
        </div>
        <FormProblem error={error} />
        <div className="kb-actions">
          <button type="submit">{t('kb.save')}</button>
          {article && article.status !== 'published' && (
            <button type="button" onClick={() => act('publish')}>
              {t('kb.publish')}
            </button>
          )}
          {article?.status === 'published' && (
            <button type="button" className="secondary" onClick={() => act('unpublish')}>
              {t('kb.unpublish')}
            </button>
          )}
          {article && article.status !== 'archived' && (
            <button type="button" className="secondary" onClick={() => act('archive')}>
              {t('kb.archive')}
            </button>
          )}
        </div>
      </form>
      {article && (
        <Versions
          article={article}
          onRestore={(version) => {
            setRestoring(version);
            writes.restore.mutate({ id: article.id, version });
          }}
        />
      )}
    </div>
  );
}
