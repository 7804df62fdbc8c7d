import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { useMemberName, useMembers } from '../shell/directory.ts';
import {
  type Assignment,
  assignmentsKey,
  type ScenarioSummary,
  type TrainingSession,
  useAssignments,
} from './training-api.ts';

const dueText = (a: Assignment) =>
  a.dueAt ? t('training.assign.due', { date: new Date(a.dueAt).toLocaleDateString() }) : '';

/** The scenarios a lead assigned to the signed-in agent; open ones start in one click. */
export function AssignedToYou({ me, titleOf }: { me: string; titleOf: (key: string) => string }) {
  const assignments = useAssignments();
  const [, navigate] = useLocation();
  const start = useMutation({
    mutationFn: (a: Assignment) =>
      api<TrainingSession>('/training/sessions', {
        body: { scenarioKey: a.scenarioKey, assignmentId: a.id },
      }),
    onSuccess: (session) => navigate(`/training/${session.id}`),
  });
  const mine = assignments.data?.filter((a) => a.agentId === me) ?? [];
  if (mine.length === 0) return null;
  return (
    <section aria-labelledby="assigned-title">
      <h2 id="assigned-title">{t('training.assigned')}</h2>
      <ul className="assignment-list" aria-label={t('training.assigned')}>
        {mine.map((a) => (
          <li key={a.id}>
            <strong>{titleOf(a.scenarioKey)}</strong> <span className="muted">{dueText(a)}</span>
            {a.note && <p>{a.note}</p>}
            {a.completedSessionId ? (
              <Link href={`/training/${a.completedSessionId}`}>{t('training.assign.done')}</Link>
            ) : (
              <button type="button" disabled={start.isPending} onClick={() => start.mutate(a)}>
                {t('training.start')} <span className="visually-hidden">{titleOf(a.scenarioKey)}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      {start.error && <p role="alert">{t('common.error', { detail: start.error.message })}</p>}
    </section>
  );
}

/** A lead assigns a scenario to an agent, with an optional note and due date, and sees who did what. */
export function TeamAssignments({
  scenarios,
  titleOf,
}: {
  scenarios: ScenarioSummary[];
  titleOf: (key: string) => string;
}) {
  const client = useQueryClient();
  const members = useMembers().data?.filter((m) => !m.disabled) ?? [];
  const nameOf = useMemberName();
  const assignments = useAssignments();
  const [done, setDone] = useState('');
  const assign = useMutation({
    mutationFn: (body: { scenarioKey: string; agentId: string; note?: string; dueAt?: string }) =>
      api<Assignment>('/training/assignments', { body }),
    onSuccess: (a) => {
      setDone(t('training.assign.saved', { title: titleOf(a.scenarioKey), name: nameOf(a.agentId) ?? '' }));
      void client.invalidateQueries({ queryKey: assignmentsKey });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const note = String(form.get('note') ?? '').trim();
    const due = String(form.get('due') ?? '');
    setDone('');
    assign.mutate({
      scenarioKey: String(form.get('scenario')),
      agentId: String(form.get('agent')),
      ...(note && { note }),
      // The end of the chosen day on the lead's clock.
      ...(due && { dueAt: new Date(`${due}T23:59:59`).toISOString() }),
    });
  };
  return (
    <section aria-labelledby="assign-title">
      <h2 id="assign-title">{t('training.assign.title')}</h2>
      <form className="assign-form" onSubmit={submit}>
        <label>
          {t('training.assign.agent')}
          <select name="agent" required>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('training.assign.scenario')}
          <select name="scenario" required>
            {scenarios.map((s) => (
              <option key={s.key} value={s.key}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('training.assign.dueLabel')}
          <input type="date" name="due" />
        </label>
        <label>
          {t('training.assign.note')}
          <input name="note" maxLength={2000} />
        </label>
        <button type="submit" className="primary" disabled={assign.isPending}>
          {t('training.assign.submit')}
        </button>
      </form>
      {done && <p role="status">{done}</p>}
      {assign.error && <p role="alert">{t('common.error', { detail: assign.error.message })}</p>}
      <table className="assignment-table" aria-label={t('training.assign.list')}>
        <thead>
          <tr>
            <th>{t('training.assign.agent')}</th>
            <th>{t('training.assign.scenario')}</th>
            <th>{t('training.assign.dueLabel')}</th>
            <th>{t('training.assign.state')}</th>
          </tr>
        </thead>
        <tbody>
          {assignments.data?.map((a) => (
            <tr key={a.id}>
              <td>{nameOf(a.agentId)}</td>
              <td>{titleOf(a.scenarioKey)}</td>
              <td>{a.dueAt ? new Date(a.dueAt).toLocaleDateString() : '–'}</td>
              <td>
                {a.completedSessionId ? (
                  <Link href={`/training/${a.completedSessionId}`}>{t('training.assign.done')}</Link>
                ) : (
                  t('training.assign.open')
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
