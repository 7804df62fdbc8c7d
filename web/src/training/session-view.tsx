import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client.ts';
import { useMe } from '../auth/session.ts';
import { t } from '../i18n/i18n.ts';
import { useMemberName } from '../shell/directory.ts';
import { PracticeComposer } from './practice-composer.tsx';
import { ScorecardView } from './scorecard-view.tsx';
import { commentsKey, type SessionComment, useComments, useSession } from './training-api.ts';

/** Feedback on a run: the lead's comments and the agent's answers, oldest first. */
function SessionComments({ sessionId }: { sessionId: string }) {
  const client = useQueryClient();
  const comments = useComments(sessionId);
  const nameOf = useMemberName();
  const [body, setBody] = useState('');
  const add = useMutation({
    mutationFn: () => api<SessionComment>(`/training/sessions/${sessionId}/comments`, { body: { body } }),
    onSuccess: () => {
      setBody('');
      void client.invalidateQueries({ queryKey: commentsKey(sessionId) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (body.trim()) add.mutate();
  };
  return (
    <section className="session-comments" aria-labelledby="session-comments-title">
      <h3 id="session-comments-title">{t('training.comments')}</h3>
      {comments.data?.length === 0 && <p className="muted">{t('training.noComments')}</p>}
      <ul aria-label={t('training.comments')}>
        {comments.data?.map((c) => (
          <li key={c.id}>
            <span className="author">{nameOf(c.authorUserId) ?? t('training.someone')}</span>{' '}
            <time className="muted" dateTime={c.createdAt}>
              {new Date(c.createdAt).toLocaleString()}
            </time>
            <p>{c.body}</p>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="comment-form">
        <label>
          {t('training.commentLabel')}
          <textarea rows={3} value={body} onChange={(event) => setBody(event.target.value)} />
        </label>
        {add.error && <p role="alert">{t('common.error', { detail: add.error.message })}</p>}
        <button type="submit" disabled={!body.trim() || add.isPending}>
          {t('training.addComment')}
        </button>
      </form>
    </section>
  );
}

/** A practice conversation: the customer's mood, the transcript, then the composer or the scorecard. */
export function SessionView({ id }: { id: string }) {
  const session = useSession(id);
  const nameOf = useMemberName();
  const me = useMe().data;
  if (session.error) return <p role="alert">{t('common.error', { detail: session.error.message })}</p>;
  if (!session.data) return <p className="loading">{t('common.loading')}</p>;
  const s = session.data;
  return (
    <div className="training-session">
      <h2>{s.title}</h2>
      <p className="muted">{s.situation}</p>
      <p className="mood" aria-live="polite">
        <meter min={0} max={10} low={4} high={7} optimum={10} value={s.mood} aria-hidden="true" />{' '}
        {t('training.mood', { mood: s.mood })}
      </p>
      <ol className="practice-transcript" aria-label={s.title}>
        {s.transcript.map((entry) => (
          <li key={`${entry.role}:${entry.at}:${entry.text}`} className={`practice-${entry.role}`}>
            <span className="author">
              {entry.role === 'customer'
                ? t('training.customer', { name: s.customerName })
                : s.agentId === me?.user.id
                  ? t('training.you')
                  : (nameOf(s.agentId) ?? t('training.agent'))}
            </span>
            <p>{entry.text}</p>
          </li>
        ))}
      </ol>
      {s.status === 'active' ? (
        s.agentId === me?.user.id ? (
          <PracticeComposer session={s} />
        ) : (
          <p className="muted">{t('training.inProgress')}</p>
        )
      ) : (
        <>
          {s.scorecard && <ScorecardView card={s.scorecard} />}
          <SessionComments sessionId={s.id} />
        </>
      )}
      <p>
        <Link href="/training">{t('training.again')}</Link>
      </p>
    </div>
  );
}
