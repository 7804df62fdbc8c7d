import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { useTeams } from '../shell/directory.ts';
import { fullDate } from '../shell/format.ts';
import { ago, Field, FormFooter, fieldError, RowButton, SectionHead, useNotice } from './admin-kit.tsx';
import { AdminList, EditorModal, RowActions, useConfirmedDelete } from './admin-list.tsx';
import { TeamSelect } from './email-addresses.tsx';
import { HostPortFields, PasswordField } from './email-kit.tsx';
import { type Mailbox, mailboxName, type PollResult } from './email-types.ts';

type MailboxInput = {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  password?: string;
  folder: string;
  teamId: string | null;
  active: boolean;
};
const mailboxesKey = ['email', 'mailboxes'] as const;

function MailboxForm({ mailbox, onSaved }: { mailbox: Mailbox | null; onSaved: (saved: Mailbox) => void }) {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (body: MailboxInput) =>
      mailbox
        ? api<Mailbox>(`/channels/email/mailboxes/${mailbox.id}`, { method: 'PATCH', body })
        : api<Mailbox>('/channels/email/mailboxes', { body }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: mailboxesKey });
      onSaved(saved);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    save.mutate({
      host: String(form.get('host')).trim(),
      port: Number(form.get('port')),
      secure: form.get('secure') === 'on',
      username: String(form.get('username')).trim(),
      // Left out on an edit, the stored password stays.
      ...(password && { password }),
      folder: String(form.get('folder')).trim() || 'INBOX',
      teamId: String(form.get('teamId')) || null,
      active: form.get('active') === 'on',
    });
  };
  const error = save.error;
  return (
    <form className="stack" onSubmit={submit}>
      <HostPortFields
        host={mailbox?.host}
        port={mailbox?.port}
        defaultPort={993}
        placeholder="imap.example.com"
        hostLabel={t('email.mailboxes.host')}
        portLabel={t('email.mailboxes.port')}
        portHint={t('email.mailboxes.portHint')}
        error={error}
      />
      <label className="adm-check">
        <input type="checkbox" name="secure" defaultChecked={mailbox?.secure ?? true} />
        {t('email.mailboxes.secure')}
      </label>
      <div className="adm-form-row">
        <Field label={t('email.mailboxes.username')} error={fieldError(error, 'username')}>
          {(a11y) => (
            <input
              {...a11y}
              name="username"
              required
              maxLength={320}
              defaultValue={mailbox?.username}
              autoComplete="off"
            />
          )}
        </Field>
        <PasswordField
          label={t('email.mailboxes.password')}
          hint={mailbox ? t('email.mailboxes.passwordKept') : t('email.mailboxes.passwordNew')}
          error={error}
          required={!mailbox}
        />
      </div>
      <div className="adm-form-row">
        <Field label={t('email.mailboxes.folder')} error={fieldError(error, 'folder')}>
          {(a11y) => (
            <input {...a11y} name="folder" maxLength={255} defaultValue={mailbox?.folder ?? 'INBOX'} />
          )}
        </Field>
        <Field label={t('email.mailboxes.team')} error={fieldError(error, 'teamId')}>
          {(a11y) => <TeamSelect name="teamId" value={mailbox?.teamId} a11y={a11y} />}
        </Field>
      </div>
      <label className="adm-check">
        <input type="checkbox" name="active" defaultChecked={mailbox?.active ?? true} />
        {t('email.mailboxes.activeToggle')}
      </label>
      <FormFooter
        error={error}
        fields={['host', 'port', 'username', 'password', 'folder', 'teamId']}
        pending={save.isPending}
        label={mailbox ? t('common.save') : t('common.create')}
      />
    </form>
  );
}

/** The IMAP mailboxes the worker reads: their state, their last poll and its error, and a poll on demand. */
export function EmailMailboxes() {
  const client = useQueryClient();
  const notice = useNotice();
  const { data: teams } = useTeams();
  const mailboxes = useQuery({
    queryKey: mailboxesKey,
    queryFn: () => api<{ data: Mailbox[] }>('/channels/email/mailboxes'),
    select: (r) => r.data,
  });
  const [editing, setEditing] = useState<Mailbox | 'new' | null>(null);
  const poll = useMutation({
    mutationFn: (mailbox: Mailbox) =>
      api<PollResult>(`/channels/email/mailboxes/${mailbox.id}/poll`, { method: 'POST' }),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: mailboxesKey });
      void client.invalidateQueries({ queryKey: ['email', 'stats'] });
      void client.invalidateQueries({ queryKey: ['email', 'quarantine'] });
      const name = mailboxName(result.mailbox);
      if (result.error)
        notice.fail(new Error(t('email.mailboxes.pollFailed', { mailbox: name, error: result.error })));
      else notice.say(t('email.mailboxes.polled', { mailbox: name, taken: result.taken }));
    },
    onError: notice.fail,
  });
  const remove = useConfirmedDelete({
    remove: (row: Mailbox) => api<void>(`/channels/email/mailboxes/${row.id}`, { method: 'DELETE' }),
    onDeleted: (row) => {
      void client.invalidateQueries({ queryKey: mailboxesKey });
      notice.say(t('email.mailboxes.deleted', { mailbox: mailboxName(row) }));
    },
    title: t('email.mailboxes.deleteTitle'),
    message: (row) => t('email.mailboxes.deleteMessage', { mailbox: mailboxName(row) }),
    confirmLabel: t('email.remove'),
  });
  const teamName = (id: string | null) => (id ? (teams?.find((team) => team.id === id)?.name ?? '…') : '');

  return (
    <section aria-labelledby="email-mailboxes-title">
      <SectionHead
        level={3}
        id="email-mailboxes-title"
        title={t('email.mailboxes.title')}
        intro={t('email.mailboxes.intro')}
        action={
          <button type="button" onClick={() => setEditing('new')}>
            {t('email.mailboxes.create')}
          </button>
        }
      />
      {notice.element}
      <AdminList
        error={mailboxes.error}
        data={mailboxes.data}
        empty={t('email.mailboxes.none')}
        columns={[
          t('email.mailboxes.mailbox'),
          t('email.mailboxes.state'),
          t('email.mailboxes.lastPoll'),
          t('email.mailboxes.lastError'),
        ]}
      >
        {(row) => (
          <tr key={row.id}>
            <td className="adm-wrap">
              <span className="adm-mono">{row.username}</span>
              <div className="muted adm-small">
                {row.host}:{row.port} · {row.folder}
                {row.teamId && ` · ${teamName(row.teamId)}`}
              </div>
            </td>
            <td>
              <span className={row.active ? 'pill adm-pill-ok' : 'pill'}>
                {row.active ? t('email.mailboxes.active') : t('email.mailboxes.paused')}
              </span>
            </td>
            <td title={row.lastPolledAt ? fullDate(row.lastPolledAt) : undefined}>
              {row.lastPolledAt ? ago(row.lastPolledAt) : t('email.mailboxes.never')}
            </td>
            <td className="adm-clip adm-error-cell" title={row.lastError ?? undefined}>
              {row.lastError ?? ''}
            </td>
            <RowActions
              subject={mailboxName(row)}
              onEdit={() => setEditing(row)}
              onDelete={() => remove.ask(row)}
              deleteLabel={t('email.remove')}
            >
              <RowButton
                label={t('email.mailboxes.poll')}
                subject={mailboxName(row)}
                disabled={poll.isPending && poll.variables.id === row.id}
                onClick={() => {
                  notice.clear();
                  poll.mutate(row);
                }}
              />
            </RowActions>
          </tr>
        )}
      </AdminList>
      <EditorModal
        editing={editing}
        createTitle={t('email.mailboxes.create')}
        editTitle={t('email.mailboxes.edit')}
        onClose={() => setEditing(null)}
        wide
      >
        {(row) => (
          <MailboxForm
            mailbox={row}
            onSaved={(saved) => {
              notice.say(
                t(row ? 'email.mailboxes.saved' : 'email.mailboxes.created', { mailbox: mailboxName(saved) }),
              );
              setEditing(null);
            }}
          />
        )}
      </EditorModal>
      {remove.dialog}
    </section>
  );
}
