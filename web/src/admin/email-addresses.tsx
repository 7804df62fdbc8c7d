import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { useTeams } from '../shell/directory.ts';
import { Field, FormFooter, fieldError, SectionHead, useNotice } from './admin-kit.tsx';
import { AdminList, EditorModal, RowActions, useConfirmedDelete } from './admin-list.tsx';
import type { SupportAddress } from './email-types.ts';

type AddressInput = { address: string; displayName: string; teamId: string | null; isDefault: boolean };
export const addressesKey = ['email', 'addresses'] as const;

/** A select of the workspace's teams, with "no team" first; the value is a team id or ''. */
export function TeamSelect({
  name,
  value,
  a11y,
}: {
  name: string;
  value: string | null | undefined;
  a11y: Record<string, unknown>;
}) {
  const { data: teams } = useTeams();
  return (
    <select {...a11y} name={name} defaultValue={value ?? ''}>
      <option value="">{t('email.addresses.noTeam')}</option>
      {teams?.map((team) => (
        <option key={team.id} value={team.id}>
          {team.name}
        </option>
      ))}
    </select>
  );
}

function AddressForm({
  address,
  onSaved,
}: {
  address: SupportAddress | null;
  onSaved: (saved: SupportAddress) => void;
}) {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (body: AddressInput) =>
      address
        ? api<SupportAddress>(`/channels/email/addresses/${address.id}`, { method: 'PATCH', body })
        : api<SupportAddress>('/channels/email/addresses', { body }),
    onSuccess: (saved) => {
      // Making one address the default takes it from another: the whole list changes.
      void client.invalidateQueries({ queryKey: addressesKey });
      onSaved(saved);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      address: String(form.get('address')).trim(),
      displayName: String(form.get('displayName')).trim(),
      teamId: String(form.get('teamId')) || null,
      isDefault: form.get('isDefault') === 'on',
    });
  };
  const error = save.error;
  return (
    <form className="stack" onSubmit={submit}>
      <Field label={t('email.addresses.address')} error={fieldError(error, 'address')}>
        {(a11y) => (
          <input
            {...a11y}
            name="address"
            type="email"
            required
            maxLength={254}
            defaultValue={address?.address}
            placeholder="support@example.com"
          />
        )}
      </Field>
      <Field
        label={t('email.addresses.displayName')}
        hint={t('email.addresses.displayNameHint')}
        error={fieldError(error, 'displayName')}
      >
        {(a11y) => <input {...a11y} name="displayName" maxLength={200} defaultValue={address?.displayName} />}
      </Field>
      <Field
        label={t('email.addresses.team')}
        hint={t('email.addresses.teamHint')}
        error={fieldError(error, 'teamId')}
      >
        {(a11y) => <TeamSelect name="teamId" value={address?.teamId} a11y={a11y} />}
      </Field>
      <label className="adm-check">
        <input type="checkbox" name="isDefault" defaultChecked={address?.isDefault ?? false} />
        {t('email.addresses.defaultToggle')}
      </label>
      <FormFooter
        error={error}
        fields={['address', 'displayName', 'teamId']}
        pending={save.isPending}
        label={address ? t('common.save') : t('common.create')}
      />
    </form>
  );
}

/** The support addresses: which mail the workspace takes in, and which team it goes to. */
export function EmailAddresses() {
  const client = useQueryClient();
  const notice = useNotice();
  const { data: teams } = useTeams();
  const addresses = useQuery({
    queryKey: addressesKey,
    queryFn: () => api<{ data: SupportAddress[] }>('/channels/email/addresses'),
    select: (r) => r.data,
  });
  const [editing, setEditing] = useState<SupportAddress | 'new' | null>(null);
  const remove = useConfirmedDelete({
    remove: (row: SupportAddress) => api<void>(`/channels/email/addresses/${row.id}`, { method: 'DELETE' }),
    onDeleted: (row) => {
      void client.invalidateQueries({ queryKey: addressesKey });
      notice.say(t('email.addresses.deleted', { address: row.address }));
    },
    title: t('email.addresses.deleteTitle'),
    message: (row) => t('email.addresses.deleteMessage', { address: row.address }),
    confirmLabel: t('email.remove'),
  });
  const teamName = (id: string | null) =>
    id ? (teams?.find((team) => team.id === id)?.name ?? '…') : t('email.addresses.noTeam');

  return (
    <section aria-labelledby="email-addresses-title">
      <SectionHead
        level={3}
        id="email-addresses-title"
        title={t('email.addresses.title')}
        intro={t('email.addresses.intro')}
        action={
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('email.addresses.create')}
          </button>
        }
      />
      {notice.element}
      <AdminList
        error={addresses.error}
        data={addresses.data}
        empty={t('email.addresses.none')}
        columns={[t('email.addresses.address'), t('email.addresses.displayName'), t('email.addresses.team')]}
      >
        {(row) => (
          <tr key={row.id}>
            <td className="adm-wrap">
              <span className="adm-mono">{row.address}</span>{' '}
              {row.isDefault && <span className="pill adm-pill-shared">{t('email.addresses.default')}</span>}
            </td>
            <td>{row.displayName}</td>
            <td className={row.teamId ? undefined : 'muted'}>{teamName(row.teamId)}</td>
            <RowActions
              subject={row.address}
              onEdit={() => setEditing(row)}
              onDelete={() => remove.ask(row)}
            />
          </tr>
        )}
      </AdminList>
      <EditorModal
        editing={editing}
        createTitle={t('email.addresses.create')}
        editTitle={t('email.addresses.edit')}
        onClose={() => setEditing(null)}
      >
        {(row) => (
          <AddressForm
            address={row}
            onSaved={(saved) => {
              notice.say(
                t(row ? 'email.addresses.saved' : 'email.addresses.created', { address: saved.address }),
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
