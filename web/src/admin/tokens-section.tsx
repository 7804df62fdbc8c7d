import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { fullDate } from '../shell/format.ts';
import {
  ago,
  ConfirmDialog,
  Field,
  FormProblem,
  fieldError,
  RowButton,
  SecretOnce,
  SectionHead,
  shortDate,
  useNotice,
} from './admin-kit.tsx';
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
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
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
  const revoke = useMutation({
    mutationFn: (token: ApiToken) => api<void>(`/tokens/${token.id}`, { method: 'DELETE' }),
    onSuccess: (_, token) => {
      void client.invalidateQueries({ queryKey: ['tokens'] });
      setRevoking(null);
      notice.say(t('admin.tokens.revoked', { name: token.name }));
    },
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
      {tokens.error && <p role="alert">{t('common.error', { detail: tokens.error.message })}</p>}
      {tokens.data?.length === 0 && <p className="empty">{t('admin.tokens.none')}</p>}
      {Boolean(tokens.data?.length) && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.tokens.name')}</th>
              <th scope="col">{t('admin.created')}</th>
              <th scope="col">{t('admin.tokens.lastUsed')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data?.map((token) => (
              <tr key={token.id}>
                <td className="adm-strong">{token.name}</td>
                <td className="muted" title={fullDate(token.createdAt)}>
                  {shortDate(token.createdAt)}
                </td>
                <td className="muted" title={token.lastUsedAt ? fullDate(token.lastUsedAt) : undefined}>
                  {token.lastUsedAt ? ago(token.lastUsedAt) : t('admin.tokens.never')}
                </td>
                <td className="adm-row-actions">
                  <RowButton
                    label={t('admin.tokens.revoke')}
                    subject={token.name}
                    className="adm-danger-link"
                    onClick={() => {
                      revoke.reset();
                      setRevoking(token);
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={t('admin.tokens.revokeTitle')}
        message={t('admin.tokens.revokeMessage', { name: revoking?.name ?? '' })}
        confirmLabel={t('admin.tokens.revoke')}
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onCancel={() => setRevoking(null)}
      />
    </section>
  );
}
