import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import type { Team } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { useMembers, useTeams } from '../shell/directory.ts';
import {
  ConfirmDialog,
  Field,
  FormProblem,
  fieldError,
  Modal,
  RowButton,
  SectionHead,
  useNotice,
} from './admin-kit.tsx';

type TeamInput = { name: string; description: string; memberIds: string[] };

function TeamForm({ team, onSaved }: { team: Team | null; onSaved: (team: Team) => void }) {
  const client = useQueryClient();
  const { data: members } = useMembers();
  const [memberIds, setMemberIds] = useState<Set<string>>(new Set(team?.memberIds ?? []));
  const save = useMutation({
    mutationFn: (body: TeamInput) =>
      team ? api<Team>(`/teams/${team.id}`, { method: 'PATCH', body }) : api<Team>('/teams', { body }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['teams'] });
      void client.invalidateQueries({ queryKey: ['counts'] });
      onSaved(saved);
    },
  });
  const toggle = (id: string) =>
    setMemberIds((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      name: String(form.get('name')).trim(),
      description: String(form.get('description')),
      memberIds: [...memberIds],
    });
  };
  return (
    <form className="stack" onSubmit={submit}>
      <Field label={t('admin.teams.name')} error={fieldError(save.error, 'name')}>
        {(a11y) => <input {...a11y} name="name" defaultValue={team?.name} required maxLength={100} />}
      </Field>
      <Field label={t('admin.teams.description')} error={fieldError(save.error, 'description')}>
        {(a11y) => (
          <textarea {...a11y} name="description" rows={2} maxLength={1000} defaultValue={team?.description} />
        )}
      </Field>
      <fieldset className="adm-checklist">
        <legend>{t('admin.teams.members', { count: memberIds.size })}</legend>
        {members?.map((member) => (
          <label key={member.id} className="adm-check">
            <input type="checkbox" checked={memberIds.has(member.id)} onChange={() => toggle(member.id)} />
            {member.name}
            <span className="muted">
              {member.email}
              {member.disabled ? ` · ${t('admin.users.disabled')}` : ''}
            </span>
          </label>
        ))}
      </fieldset>
      {fieldError(save.error, 'memberIds') && (
        <p className="adm-field-error">{fieldError(save.error, 'memberIds')}</p>
      )}
      <FormProblem error={save.error} fields={['name', 'description', 'memberIds']} />
      <div className="adm-dialog-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {team ? t('common.save') : t('common.create')}
        </button>
      </div>
    </form>
  );
}

export function TeamsSection() {
  const client = useQueryClient();
  const teams = useTeams();
  const { data: members } = useMembers();
  const notice = useNotice();
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const remove = useMutation({
    mutationFn: (team: Team) => api<void>(`/teams/${team.id}`, { method: 'DELETE' }),
    onSuccess: (_, team) => {
      void client.invalidateQueries({ queryKey: ['teams'] });
      void client.invalidateQueries({ queryKey: ['tickets'] });
      setDeleting(null);
      notice.say(t('admin.teams.deleted', { name: team.name }));
    },
  });
  const nameOf = (id: string) => members?.find((member) => member.id === id)?.name ?? '…';

  return (
    <section aria-labelledby="teams-title">
      <SectionHead
        id="teams-title"
        title={t('admin.nav.teams')}
        intro={t('admin.teams.intro')}
        action={
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('admin.teams.create')}
          </button>
        }
      />
      {notice.element}
      {teams.error && <p role="alert">{t('common.error', { detail: teams.error.message })}</p>}
      {teams.data?.length === 0 && <p className="empty">{t('admin.teams.none')}</p>}
      {Boolean(teams.data?.length) && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.teams.name')}</th>
              <th scope="col">{t('admin.teams.description')}</th>
              <th scope="col">{t('admin.teams.memberColumn')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {teams.data?.map((team) => (
              <tr key={team.id}>
                <td className="adm-strong">{team.name}</td>
                <td className="muted adm-clip">{team.description}</td>
                <td className="adm-clip" title={team.memberIds.map(nameOf).join(', ')}>
                  {team.memberIds.length === 0
                    ? t('admin.teams.noMembers')
                    : `${team.memberIds.length} · ${team.memberIds.map(nameOf).join(', ')}`}
                </td>
                <td className="adm-row-actions">
                  <RowButton label={t('common.edit')} subject={team.name} onClick={() => setEditing(team)} />
                  <RowButton
                    label={t('common.delete')}
                    subject={team.name}
                    className="adm-danger-link"
                    onClick={() => {
                      remove.reset();
                      setDeleting(team);
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('admin.teams.create') : t('admin.teams.edit')}
        onClose={() => setEditing(null)}
      >
        <TeamForm
          team={editing === 'new' ? null : editing}
          onSaved={(team) => {
            notice.say(
              t(editing === 'new' ? 'admin.teams.created' : 'admin.teams.saved', { name: team.name }),
            );
            setEditing(null);
          }}
        />
      </Modal>
      <ConfirmDialog
        open={deleting !== null}
        title={t('admin.teams.deleteTitle')}
        message={t('admin.teams.deleteMessage', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onCancel={() => setDeleting(null)}
      />
    </section>
  );
}
