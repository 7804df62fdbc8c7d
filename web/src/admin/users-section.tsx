import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import type { Me, Member, Role } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { useMembers } from '../shell/directory.ts';
import {
  Field,
  FormFooter,
  fieldError,
  Modal,
  RowButton,
  SecretOnce,
  SectionHead,
  useNotice,
} from './admin-kit.tsx';
import { AdminTable, RowActions } from './admin-list.tsx';

const roles: Role[] = ['admin', 'agent', 'light'];
const MIN_PASSWORD = 10;

/** A first password for a new colleague: 16 characters without look-alikes, from the browser's CSPRNG. */
function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

type NewUser = { email: string; name: string; role: Role; password: string };

function AddUserForm({ onCreated }: { onCreated: (member: Member, password: string) => void }) {
  const client = useQueryClient();
  const [password, setPassword] = useState(generatePassword);
  const create = useMutation({
    mutationFn: (body: NewUser) => api<Member>('/users', { body }),
    onSuccess: (member, body) => {
      void client.invalidateQueries({ queryKey: ['users'] });
      onCreated(member, body.password);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      email: String(form.get('email')).trim(),
      name: String(form.get('name')).trim(),
      role: String(form.get('role')) as Role,
      password,
    });
  };
  const error = create.error;
  return (
    <form className="stack" onSubmit={submit}>
      <Field label={t('admin.users.email')} error={fieldError(error, 'email')}>
        {(a11y) => <input {...a11y} name="email" type="email" autoComplete="off" required />}
      </Field>
      <Field label={t('admin.users.name')} error={fieldError(error, 'name')}>
        {(a11y) => <input {...a11y} name="name" autoComplete="off" required maxLength={200} />}
      </Field>
      <Field label={t('admin.users.role')} hint={t('admin.users.roleHint')} error={fieldError(error, 'role')}>
        {(a11y) => (
          <select {...a11y} name="role" defaultValue="agent">
            {roles.map((role) => (
              <option key={role} value={role}>
                {t(`admin.role.${role}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label={t('admin.users.password')}
        hint={t('admin.users.passwordHint', { min: MIN_PASSWORD })}
        error={fieldError(error, 'password')}
      >
        {(a11y) => (
          <div className="adm-inline-controls">
            <input
              {...a11y}
              className="adm-mono adm-grow"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              autoComplete="new-password"
              minLength={MIN_PASSWORD}
              required
            />
            <button type="button" onClick={() => setPassword(generatePassword())}>
              {t('admin.users.generate')}
            </button>
          </div>
        )}
      </Field>
      <FormFooter
        error={error}
        fields={['email', 'name', 'role', 'password']}
        pending={create.isPending}
        label={t('admin.users.add')}
      />
    </form>
  );
}

export function UsersSection({ me }: { me: Me }) {
  const client = useQueryClient();
  const members = useMembers();
  const notice = useNotice();
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<{ member: Member; password: string } | null>(null);
  const update = useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: { role?: Role; disabled?: boolean } }) =>
      api<Member>(`/users/${id}`, { method: 'PATCH', body: patch }),
    onSuccess: (member, { patch }) => {
      void client.invalidateQueries({ queryKey: ['users'] });
      if (patch.role)
        notice.say(t('admin.users.roleChanged', { name: member.name, role: t(`admin.role.${member.role}`) }));
      else
        notice.say(
          t(member.disabled ? 'admin.users.disabledDone' : 'admin.users.enabledDone', { name: member.name }),
        );
    },
    onError: notice.fail,
  });

  return (
    <section aria-labelledby="users-title">
      <SectionHead
        id="users-title"
        title={t('admin.nav.users')}
        intro={t('admin.users.intro')}
        action={
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            {t('admin.users.add')}
          </button>
        }
      />
      {created && (
        <SecretOnce
          label={t('admin.users.initialPassword', { email: created.member.email })}
          value={created.password}
          note={t('admin.users.initialPasswordNote')}
          onDone={() => setCreated(null)}
        />
      )}
      {notice.element}
      {members.error && <p role="alert">{t('common.error', { detail: members.error.message })}</p>}
      <AdminTable
        columns={[
          t('admin.users.name'),
          t('admin.users.email'),
          t('admin.users.role'),
          t('admin.users.access'),
        ]}
      >
        {members.data?.map((member) => {
          const self = member.id === me.user.id;
          const busy = update.isPending && update.variables.id === member.id;
          return (
            <tr key={member.id} className={member.disabled ? 'adm-disabled-row' : undefined}>
              <td>
                {member.name}
                {self && <span className="muted"> {t('admin.users.you')}</span>}
              </td>
              <td>{member.email}</td>
              <td>
                <select
                  aria-label={t('admin.users.roleFor', { name: member.name })}
                  value={member.role}
                  disabled={busy}
                  onChange={(event) =>
                    update.mutate({ id: member.id, patch: { role: event.target.value as Role } })
                  }
                >
                  {roles.map((role) => (
                    <option key={role} value={role}>
                      {t(`admin.role.${role}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <span className={member.disabled ? 'pill' : 'pill adm-pill-ok'}>
                  {member.disabled ? t('admin.users.disabled') : t('admin.users.active')}
                </span>
              </td>
              <RowActions subject={member.name}>
                <RowButton
                  label={member.disabled ? t('admin.users.enable') : t('admin.users.disable')}
                  subject={member.name}
                  disabled={busy || (self && !member.disabled)}
                  title={self ? t('admin.users.notYourself') : undefined}
                  onClick={() => update.mutate({ id: member.id, patch: { disabled: !member.disabled } })}
                />
              </RowActions>
            </tr>
          );
        })}
      </AdminTable>
      <Modal open={adding} title={t('admin.users.add')} onClose={() => setAdding(false)}>
        <AddUserForm
          onCreated={(member, password) => {
            setAdding(false);
            setCreated({ member, password });
            notice.say(t('admin.users.added', { name: member.name }));
          }}
        />
      </Modal>
    </section>
  );
}
