import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../api/client.ts';
import { type MessageKey, t } from '../i18n/i18n.ts';
import { CoachHints } from '../intel/coach-bar.tsx';
import {
  dimensions,
  type ReplyResult,
  type Scorecard,
  sessionKey,
  type TrainingSession,
  useHistory,
  useScenarios,
  useSession,
} from './training-api.ts';
import './training.css';

function ScenarioList() {
  const scenarios = useScenarios();
  const history = useHistory();
  const [, navigate] = useLocation();
  const start = useMutation({
    mutationFn: (scenarioKey: string) =>
      api<TrainingSession>('/training/sessions', { body: { scenarioKey } }),
    onSuccess: (session) => navigate(`/training/${session.id}`),
  });
  return (
    <div className="training-home">
      <p className="muted">{t('training.intro')}</p>
      <h2>{t('training.scenarios')}</h2>
      {scenarios.error && <p role="alert">{t('common.error', { detail: scenarios.error.message })}</p>}
      <ul className="scenario-list">
        {scenarios.data?.map((s) => (
          <li key={s.key} className="scenario-card">
            <h3>{s.title}</h3>
            <p className="muted">
              {t(`training.difficulty.${s.difficulty}` as MessageKey)} · {s.category}
            </p>
            <p>{s.situation}</p>
            <button type="button" disabled={start.isPending} onClick={() => start.mutate(s.key)}>
              {t('training.start')} <span className="visually-hidden">{s.title}</span>
            </button>
          </li>
        ))}
      </ul>
      <h2>{t('training.history')}</h2>
      {history.data?.length === 0 && <p className="muted">{t('training.noHistory')}</p>}
      <ul className="training-history">
        {history.data?.map((h) => (
          <li key={h.id}>
            <Link href={`/training/${h.id}`}>{h.title}</Link>{' '}
            <span className={`outcome ${h.status}`}>{h.score ?? '–'}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ScorecardView({ card }: { card: Scorecard }) {
  return (
    <section className="scorecard" aria-label={t('training.scorecard')}>
      <p className={`outcome ${card.outcome}`} role="status">
        {t(`training.outcome.${card.outcome}`, { reason: card.reason })} ·{' '}
        {t('training.overall', { score: card.overall })}
      </p>
      <dl>
        {dimensions.map((d) => {
          const part = card.dimensions[d];
          return (
            <div key={d} className="dimension" data-dimension={d}>
              <dt>
                {t(`training.dimension.${d}` as MessageKey)} <strong>{part.score}</strong>
              </dt>
              <dd>
                <p>{part.summary}</p>
                <ul>
                  {part.quotes.map((q) => (
                    <li key={`${d}:${q.note}:${q.text}`}>
                      {q.text && <q>{q.text}</q>} <span className="muted">{q.note}</span>
                      {q.better && <p className="better">{t('training.better', { text: q.better })}</p>}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

/** The composer of a practice conversation: the ticket composer's textarea, coach and shortcuts. */
function PracticeComposer({ session }: { session: TrainingSession }) {
  const client = useQueryClient();
  const [body, setBody] = useState('');
  const lastCustomer = session.transcript.findLast((e) => e.role === 'customer')?.text;
  const save = (next: TrainingSession) => client.setQueryData(sessionKey(session.id), next);
  const send = useMutation({
    mutationFn: () => api<ReplyResult>(`/training/sessions/${session.id}/replies`, { body: { text: body } }),
    onSuccess: (result) => {
      setBody('');
      save(result.session);
      void client.invalidateQueries({ queryKey: ['training', 'history'] });
    },
  });
  const finish = useMutation({
    mutationFn: () => api<TrainingSession>(`/training/sessions/${session.id}/finish`, { body: {} }),
    onSuccess: (next) => {
      save(next);
      void client.invalidateQueries({ queryKey: ['training', 'history'] });
    },
  });
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (body.trim() && !send.isPending) send.mutate();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  };
  const label = t('training.replyLabel', { name: session.customerName });
  const error = send.error ?? finish.error;
  return (
    <form className="composer reply" onSubmit={submit} aria-label={t('ticket.composer')}>
      <label htmlFor="composer-body" className="visually-hidden">
        {label}
      </label>
      <textarea
        id="composer-body"
        rows={5}
        value={body}
        placeholder={label}
        onChange={(event) => setBody(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <CoachHints text={body} customerText={lastCustomer} onText={setBody} />
      {error && <p role="alert">{t('common.error', { detail: error.message })}</p>}
      <div className="composer-bar">
        <span className="spacer" />
        <button type="button" onClick={() => finish.mutate()} disabled={finish.isPending}>
          {t('training.finish')}
        </button>
        <button type="submit" className="primary" disabled={!body.trim() || send.isPending}>
          {t('training.send')}
        </button>
      </div>
    </form>
  );
}

function SessionView({ id }: { id: string }) {
  const session = useSession(id);
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
                : t('training.you')}
            </span>
            <p>{entry.text}</p>
          </li>
        ))}
      </ol>
      {s.status === 'active' ? (
        <PracticeComposer session={s} />
      ) : (
        s.scorecard && <ScorecardView card={s.scorecard} />
      )}
      <p>
        <Link href="/training">{t('training.again')}</Link>
      </p>
    </div>
  );
}

/** Role-play practice: pick a scenario, talk to the simulated customer, read the scorecard. */
export default function TrainingPage({ id }: { id?: string | undefined }) {
  return (
    <main className="training-page">
      <h1>{t('training.title')}</h1>
      {id ? <SessionView id={id} /> : <ScenarioList />}
    </main>
  );
}
