import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import type { Team } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { useMembers, useTeams } from '../shell/directory.ts';
import { Field, FormFooter, fieldError, SectionHead, useNotice } from './admin-kit.tsx';
import { AdminList, EditorModal, RowActions, useConfirmedDelete } from './admin-list.tsx';

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
      <FormFooter
        error={save.error}
        fields={['name', 'description', 'memberIds']}
        pending={save.isPending}
        label={team ? t('common.save') : t('common.create')}
      />
    </form>
  );
}

export function TeamsSection() {
  const client = useQueryClient();
  const teams = useTeams();
  const { data: members } = useMembers();
  const notice = useNotice();
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const remove = useConfirmedDelete({
    remove: (team: Team) => api<void>(`/teams/${team.id}`, { method: 'DELETE' }),
    onDeleted: (team) => {
      void client.invalidateQueries({ queryKey: ['teams'] });
      void client.invalidateQueries({ queryKey: ['tickets'] });
      notice.say(t('admin.teams.deleted', { name: team.name }));
    },
    title: t('admin.teams.deleteTitle'),
    message: (team) => t('admin.teams.deleteMessage', { name: team.name }),
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
      <AdminList
        error={teams.error}
        data={teams.data}
        empty={t('admin.teams.none')}
        columns={[t('admin.teams.name'), t('admin.teams.description'), t('admin.teams.memberColumn')]}
      >
        {(team) => (
          <tr key={team.id}>
            <td className="adm-strong">{team.name}</td>
            <td className="muted adm-clip">{team.description}</td>
            <td className="adm-clip" title={team.memberIds.map(nameOf).join(', ')}>
              {team.memberIds.length === 0
                ? t('admin.teams.noMembers')
                : `${team.memberIds.length} · ${team.memberIds.map(nameOf).join(', ')}`}
            </td>
            <RowActions
              subject={team.name}
              onEdit={() => setEditing(team)}
              onDelete={() => remove.ask(team)}
            />
          </tr>
        )}
      </AdminList>
      <EditorModal
        editing={editing}
        createTitle={t('admin.teams.create')}
        editTitle={t('admin.teams.edit')}
        onClose={() => setEditing(null)}
      >
        {(row) => (
          <TeamForm
            team={row}
            onSaved={(team) => {
              notice.say(t(row ? 'admin.teams.saved' : 'admin.teams.created', { name: team.name }));
              setEditing(null);
            }}
          />
        )}
      </EditorModal>
      {remove.dialog}
    </section>
  );
}
