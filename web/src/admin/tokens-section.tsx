import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { fullDate } from '../shell/format.ts';
import {
  ago,
  Field,
  FormProblem,
  fieldError,
  SecretOnce,
  SectionHead,
  shortDate,
  useNotice,
} from './admin-kit.tsx';
import { AdminList, RowActions, useConfirmedDelete } from './admin-list.tsx';
import type { ApiToken } from './admin-types.ts';

type Created = { id: string; name: string; token: string };

export function TokensSection() {
  const client = useQueryClient();
  const notice = useNotice();
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: () => api<{ data: ApiToken[] }>('/tokens'),
    select: (r) => r.data,
  });
  const [created, setCreated] = useState<Created | null>(null);
  const [formKey, setFormKey] = useState(0);
  const create = useMutation({
    mutationFn: (body: { name: string }) => api<Created>('/tokens', { body }),
    onSuccess: (token) => {
      void client.invalidateQueries({ queryKey: ['tokens'] });
      setCreated(token);
      setFormKey((key) => key + 1);
      notice.say(t('admin.tokens.created', { name: token.name }));
    },
  });
  const revoke = useConfirmedDelete({
    remove: (token: ApiToken) => api<void>(`/tokens/${token.id}`, { method: 'DELETE' }),
    onDeleted: (token) => {
      void client.invalidateQueries({ queryKey: ['tokens'] });
      notice.say(t('admin.tokens.revoked', { name: token.name }));
    },
    title: t('admin.tokens.revokeTitle'),
    message: (token) => t('admin.tokens.revokeMessage', { name: token.name }),
    confirmLabel: t('admin.tokens.revoke'),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ name: String(new FormData(event.currentTarget).get('name')).trim() });
  };

  return (
    <section aria-labelledby="tokens-title">
      <SectionHead id="tokens-title" title={t('admin.nav.tokens')} intro={t('admin.tokens.intro')} />
      <form key={formKey} className="adm-inline-form" onSubmit={submit} aria-label={t('admin.tokens.create')}>
        <Field label={t('admin.tokens.name')} error={fieldError(create.error, 'name')}>
          {(a11y) => (
            <input
              {...a11y}
              name="name"
              required
              maxLength={100}
              placeholder={t('admin.tokens.namePlaceholder')}
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('admin.tokens.create')}
        </button>
      </form>
      <FormProblem error={create.error} fields={['name']} />
      {created && (
        <SecretOnce
          label={t('admin.tokens.secretLabel', { name: created.name })}
          value={created.token}
          note={t('admin.tokens.secretNote')}
          onDone={() => setCreated(null)}
        />
      )}
      {notice.element}
      <AdminList
        error={tokens.error}
        data={tokens.data}
        empty={t('admin.tokens.none')}
        columns={[t('admin.tokens.name'), t('admin.created'), t('admin.tokens.lastUsed')]}
      >
        {(token) => (
          <tr key={token.id}>
            <td className="adm-strong">{token.name}</td>
            <td className="muted" title={fullDate(token.createdAt)}>
              {shortDate(token.createdAt)}
            </td>
            <td className="muted" title={token.lastUsedAt ? fullDate(token.lastUsedAt) : undefined}>
              {token.lastUsedAt ? ago(token.lastUsedAt) : t('admin.tokens.never')}
            </td>
            <RowActions
              subject={token.name}
              deleteLabel={t('admin.tokens.revoke')}
              onDelete={() => revoke.ask(token)}
            />
          </tr>
        )}
      </AdminList>
      {revoke.dialog}
    </section>
  );
}
