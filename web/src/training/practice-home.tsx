import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { type MessageKey, t } from '../i18n/i18n.ts';
import { useMemberName, useMembers } from '../shell/directory.ts';
import { AssignedToYou, TeamAssignments } from './assignments.tsx';
import { type TrainingSession, useHistory, useScenarios } from './training-api.ts';

/** Score history over time: an agent's own runs; a lead sees the team's or one agent's, with who ran each. */
function History({ me }: { me: Me }) {
  const lead = me.user.role === 'admin';
  const [agentId, setAgentId] = useState('');
  const history = useHistory(agentId || undefined);
  const members = useMembers().data ?? [];
  const nameOf = useMemberName();
  const title = lead ? t('training.teamHistory') : t('training.history');
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{title}</h2>
      {lead && (
        <p>
          <label htmlFor="history-agent">{t('training.historyOf')}</label>{' '}
          <select id="history-agent" value={agentId} onChange={(event) => setAgentId(event.target.value)}>
            <option value="">{t('training.everyone')}</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </p>
      )}
      {history.data?.length === 0 && <p className="muted">{t('training.noHistory')}</p>}
      <ul className="training-history" aria-label={title}>
        {history.data?.map((h) => (
          <li key={h.id}>
            <Link href={`/training/${h.id}`}>{h.title}</Link>{' '}
            {lead && <span className="muted">{nameOf(h.agentId)} </span>}
            <time className="muted" dateTime={h.startedAt}>
              {new Date(h.startedAt).toLocaleDateString()}
            </time>{' '}
            <span className={`outcome ${h.status}`}>{h.score ?? '–'}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The practice home: assigned scenarios, every scenario to start, the lead's assignments and history. */
export function PracticeHome({ me }: { me: Me }) {
  const scenarios = useScenarios();
  const [, navigate] = useLocation();
  const start = useMutation({
    mutationFn: (scenarioKey: string) =>
      api<TrainingSession>('/training/sessions', { body: { scenarioKey } }),
    onSuccess: (session) => navigate(`/training/${session.id}`),
  });
  const titleOf = (key: string) => scenarios.data?.find((s) => s.key === key)?.title ?? key;
  return (
    <div className="training-home">
      <p className="muted">{t('training.intro')}</p>
      <AssignedToYou me={me.user.id} titleOf={titleOf} />
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
      {me.user.role === 'admin' && scenarios.data && (
        <TeamAssignments scenarios={scenarios.data} titleOf={titleOf} />
      )}
      <History me={me} />
    </div>
  );
}
