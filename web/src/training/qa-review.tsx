import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { useMemberName } from '../shell/directory.ts';
import {
  type Review,
  type Rubric,
  type Scores,
  useMyReviews,
  useReviewQueue,
  useRubrics,
  useTicketReviews,
} from './qa-api.ts';
import { RubricPicker } from './rubric-picker.tsx';

const NOT_APPLICABLE = '';

/** Scores one ticket on a rubric, starting from the reviewer's own review or else the automatic one. */
function ReviewForm({
  rubric,
  start,
  ticketId,
}: {
  rubric: Rubric;
  start: Review | undefined;
  ticketId: string;
}) {
  const client = useQueryClient();
  const [scores, setScores] = useState<Scores>(start?.scores ?? {});
  const [comment, setComment] = useState(start && !start.automatic ? start.comment : '');
  const save = useMutation({
    mutationFn: () =>
      api<Review>(`/qa/tickets/${ticketId}/reviews`, {
        method: 'PUT',
        body: { rubricId: rubric.id, scores, comment },
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['qa'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="qa-form" onSubmit={submit} aria-label={t('qa.form', { name: rubric.name })}>
      {start?.automatic && <p className="muted">{t('qa.suggested', { total: start.total })}</p>}
      {rubric.criteria.map((c) => (
        <label key={c.key} className="qa-criterion">
          <span>
            {c.label} <span className="muted">{t('qa.weight', { weight: c.weight })}</span>
          </span>
          <select
            value={scores[c.key] ?? NOT_APPLICABLE}
            onChange={(event) =>
              setScores({
                ...scores,
                [c.key]: event.target.value === NOT_APPLICABLE ? null : Number(event.target.value),
              })
            }
          >
            <option value={NOT_APPLICABLE}>{t('qa.notApplicable')}</option>
            {Array.from({ length: c.max + 1 }, (_, n) => n).map((n) => (
              <option key={n} value={n}>
                {t('qa.points', { n, max: c.max })}
              </option>
            ))}
          </select>
        </label>
      ))}
      <label>
        {t('qa.comment')}
        <textarea rows={3} value={comment} onChange={(event) => setComment(event.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('qa.save')}
      </button>
      {save.data && <p role="status">{t('qa.saved', { total: save.data.total })}</p>}
      {save.error && <p role="alert">{t('common.error', { detail: save.error.message })}</p>}
    </form>
  );
}

function TicketReview({ ticketId, me }: { ticketId: string; me: Me }) {
  const rubrics = useRubrics().data?.filter((r) => r.active) ?? [];
  const reviews = useTicketReviews(ticketId);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const rubric = rubrics.find((r) => r.id === chosen) ?? rubrics[0];
  if (reviews.error) return <p role="alert">{t('common.error', { detail: reviews.error.message })}</p>;
  if (!rubric || !reviews.data) return <p className="loading">{t('common.loading')}</p>;
  // The form keeps what the reviewer typed across refetches; it starts from their review or the suggestion.
  const ofRubric = reviews.data.reviews.filter((r) => r.rubricId === rubric.id);
  const start = ofRubric.find((r) => r.reviewerId === me.user.id) ?? ofRubric.find((r) => r.automatic);
  const spread = reviews.data.calibration.find((c) => c.rubricId === rubric.id);
  return (
    <div className="qa-ticket">
      <RubricPicker rubrics={rubrics} value={rubric.id} onChange={setChosen} />
      <ReviewForm key={rubric.id} rubric={rubric} start={start} ticketId={ticketId} />
      {spread && (
        <p className={spread.disagree ? 'warning' : 'muted'}>
          {t(spread.disagree ? 'qa.ticketDisagree' : 'qa.ticketAgree', {
            reviewers: spread.reviewers,
            spread: spread.totalSpread,
          })}
        </p>
      )}
    </div>
  );
}

/** A reviewer's queue of solved tickets to score, and the review of the one picked. */
function ReviewQueue({ me }: { me: Me }) {
  const queue = useReviewQueue();
  const [picked, setPicked] = useState<{ id: string; label: string } | undefined>(undefined);
  return (
    <section aria-labelledby="qa-queue-title">
      <h2 id="qa-queue-title">{t('qa.queue')}</h2>
      {queue.data?.length === 0 && <p className="muted">{t('qa.queueEmpty')}</p>}
      <ul className="qa-queue">
        {queue.data?.map((q) => (
          <li key={q.id}>
            <Link href={`/tickets/${q.id}`}>#{q.number}</Link> {q.subject}{' '}
            <button type="button" onClick={() => setPicked({ id: q.id, label: `#${q.number} ${q.subject}` })}>
              {t('qa.review')} <span className="visually-hidden">#{q.number}</span>
            </button>
          </li>
        ))}
      </ul>
      {picked && (
        <section aria-label={t('qa.reviewing', { ticket: picked.label })}>
          <h3>{t('qa.reviewing', { ticket: picked.label })}</h3>
          <TicketReview key={picked.id} ticketId={picked.id} me={me} />
        </section>
      )}
    </section>
  );
}

/** The reviews of the signed-in agent's own tickets, with who scored them and their comments. */
function MyReviews() {
  const reviews = useMyReviews();
  const rubrics = useRubrics().data ?? [];
  const nameOf = useMemberName();
  const labelOf = (rubricId: string, key: string) =>
    rubrics.find((r) => r.id === rubricId)?.criteria.find((c) => c.key === key)?.label ?? key;
  return (
    <section aria-labelledby="qa-mine-title">
      <h2 id="qa-mine-title">{t('qa.mine')}</h2>
      {reviews.data?.length === 0 && <p className="muted">{t('qa.mineEmpty')}</p>}
      <ul className="qa-mine" aria-label={t('qa.mine')}>
        {reviews.data?.map((r) => (
          <li key={r.id}>
            <Link href={`/tickets/${r.ticketId}`}>#{r.ticket.number}</Link> {r.ticket.subject} ·{' '}
            <strong>{t('qa.total', { total: r.total })}</strong> ·{' '}
            {r.automatic ? t('qa.automatic') : (nameOf(r.reviewerId) ?? t('training.someone'))}
            {r.comment && <blockquote>{r.comment}</blockquote>}
            <ul className="qa-scores">
              {Object.entries(r.scores).map(([key, value]) => (
                <li key={key}>
                  {labelOf(r.rubricId, key)}: {value ?? t('qa.notApplicable')}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** QA on real conversations: the review queue for reviewers, and everyone's own reviews. */
export function QaReviews({ me }: { me: Me }) {
  return (
    <div className="qa-page">
      <p className="muted">{t('qa.intro')}</p>
      {me.user.role !== 'light' && <ReviewQueue me={me} />}
      <MyReviews />
    </div>
  );
}
