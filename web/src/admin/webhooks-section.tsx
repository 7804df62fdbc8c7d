import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import {
  ConfirmDialog,
  Field,
  FormProblem,
  fieldError,
  Modal,
  RowButton,
  SecretOnce,
  SectionHead,
  useNotice,
} from './admin-kit.tsx';
import { type Webhook, webhookEventTypes } from './admin-types.ts';
import { WebhookDeliveries } from './webhook-deliveries.tsx';

type WebhookInput = { url: string; description: string; events: string[] };
type CreatedWebhook = Webhook & { secret: string };

export const eventsText = (events: string[]) =>
  events.includes('*') ? t('admin.webhooks.allEvents') : events.join(', ');

function WebhookForm({ webhook, onSaved }: { webhook: Webhook | null; onSaved: (saved: Webhook) => void }) {
  const client = useQueryClient();
  const [events, setEvents] = useState<Set<string>>(new Set(webhook?.events ?? ['*']));
  const all = events.has('*');
  const save = useMutation({
    mutationFn: (body: WebhookInput) =>
      webhook
        ? api<Webhook>(`/webhooks/${webhook.id}`, { method: 'PATCH', body })
        : api<CreatedWebhook>('/webhooks', { body }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['webhooks'] });
      onSaved(saved);
    },
  });
  const toggle = (event: string) =>
    setEvents((current) => {
      const next = new Set(current);
      if (next.has(event)) next.delete(event);
      else next.add(event);
      return next;
    });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      url: String(form.get('url')).trim(),
      description: String(form.get('description') ?? ''),
      events: all ? ['*'] : [...events],
    });
  };
  const error = save.error;
  return (
    <form className="stack" onSubmit={submit}>
      <Field
        label={t('admin.webhooks.url')}
        hint={t('admin.webhooks.urlHint')}
        error={fieldError(error, 'url')}
      >
        {(a11y) => (
          <input
            {...a11y}
            className="adm-mono"
            name="url"
            type="url"
            required
            maxLength={2000}
            defaultValue={webhook?.url}
            placeholder="https://example.com/hooks/rapport"
          />
        )}
      </Field>
      <Field label={t('admin.webhooks.description')} error={fieldError(error, 'description')}>
        {(a11y) => <input {...a11y} name="description" maxLength={500} defaultValue={webhook?.description} />}
      </Field>
      <fieldset className="adm-check-group">
        <legend>{t('admin.webhooks.events')}</legend>
        <label className="adm-check">
          <input type="checkbox" checked={all} onChange={() => toggle('*')} />
          {t('admin.webhooks.allEvents')}
        </label>
        {webhookEventTypes.map((type) => (
          <label key={type} className="adm-check adm-mono">
            <input
              type="checkbox"
              checked={all || events.has(type)}
              disabled={all}
              onChange={() => toggle(type)}
            />
            {type}
          </label>
        ))}
      </fieldset>
      {fieldError(error, 'events') && <p className="adm-field-error">{fieldError(error, 'events')}</p>}
      <FormProblem error={error} fields={['url', 'description', 'events']} />
      <div className="adm-dialog-actions">
        <button type="submit" className="primary" disabled={save.isPending || events.size === 0}>
          {webhook ? t('common.save') : t('common.create')}
        </button>
      </div>
    </form>
  );
}

export function WebhooksSection() {
  const params = new URLSearchParams(useSearch());
  const showing = params.get('deliveries');
  const client = useQueryClient();
  const notice = useNotice();
  const webhooks = useQuery({
    queryKey: ['webhooks'],
    queryFn: () => api<{ data: Webhook[] }>('/webhooks'),
    select: (r) => r.data,
  });
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [secret, setSecret] = useState<CreatedWebhook | null>(null);
  const pause = useMutation({
    mutationFn: (webhook: Webhook) =>
      api<Webhook>(`/webhooks/${webhook.id}`, { method: 'PATCH', body: { active: !webhook.active } }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['webhooks'] });
      notice.say(t(saved.active ? 'admin.webhooks.resumed' : 'admin.webhooks.paused', { url: saved.url }));
    },
    onError: notice.fail,
  });
  const remove = useMutation({
    mutationFn: (webhook: Webhook) => api<void>(`/webhooks/${webhook.id}`, { method: 'DELETE' }),
    onSuccess: (_, webhook) => {
      void client.invalidateQueries({ queryKey: ['webhooks'] });
      setDeleting(null);
      notice.say(t('admin.webhooks.deleted', { url: webhook.url }));
    },
  });

  const current = showing ? webhooks.data?.find((webhook) => webhook.id === showing) : undefined;
  if (showing && current) return <WebhookDeliveries webhook={current} />;
  return (
    <section aria-labelledby="webhooks-title">
      <SectionHead
        id="webhooks-title"
        title={t('admin.nav.webhooks')}
        intro={t('admin.webhooks.intro')}
        action={
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('admin.webhooks.create')}
          </button>
        }
      />
      {secret && (
        <SecretOnce
          label={t('admin.webhooks.secretLabel', { url: secret.url })}
          value={secret.secret}
          note={t('admin.webhooks.secretNote')}
          onDone={() => setSecret(null)}
        />
      )}
      {notice.element}
      {webhooks.error && <p role="alert">{t('common.error', { detail: webhooks.error.message })}</p>}
      {showing && webhooks.data && !current && <p role="alert">{t('admin.webhooks.unknown')}</p>}
      {webhooks.data?.length === 0 && <p className="empty">{t('admin.webhooks.none')}</p>}
      {Boolean(webhooks.data?.length) && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.webhooks.url')}</th>
              <th scope="col">{t('admin.webhooks.events')}</th>
              <th scope="col">{t('admin.webhooks.state')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {webhooks.data?.map((webhook) => (
              <tr key={webhook.id}>
                <td className="adm-wrap">
                  <span className="adm-mono">{webhook.url}</span>
                  {webhook.description && <div className="muted adm-small">{webhook.description}</div>}
                </td>
                <td>{eventsText(webhook.events)}</td>
                <td>
                  <span className={webhook.active ? 'pill adm-pill-ok' : 'pill'}>
                    {webhook.active ? t('admin.webhooks.active') : t('admin.webhooks.pausedState')}
                  </span>
                </td>
                <td className="adm-row-actions">
                  <Link
                    href={`/admin/webhooks?deliveries=${webhook.id}`}
                    className="button-link"
                    aria-label={`${t('admin.webhooks.deliveries')}: ${webhook.url}`}
                  >
                    {t('admin.webhooks.deliveries')}
                  </Link>
                  <RowButton
                    label={webhook.active ? t('admin.webhooks.pause') : t('admin.webhooks.resume')}
                    subject={webhook.url}
                    disabled={pause.isPending && pause.variables.id === webhook.id}
                    onClick={() => pause.mutate(webhook)}
                  />
                  <RowButton
                    label={t('common.edit')}
                    subject={webhook.url}
                    onClick={() => setEditing(webhook)}
                  />
                  <RowButton
                    label={t('common.delete')}
                    subject={webhook.url}
                    className="adm-danger-link"
                    onClick={() => {
                      remove.reset();
                      setDeleting(webhook);
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
        title={editing === 'new' ? t('admin.webhooks.create') : t('admin.webhooks.edit')}
        onClose={() => setEditing(null)}
        wide
      >
        <WebhookForm
          webhook={editing === 'new' ? null : editing}
          onSaved={(saved) => {
            if ('secret' in saved) setSecret(saved as CreatedWebhook);
            notice.say(
              t(editing === 'new' ? 'admin.webhooks.created' : 'admin.webhooks.saved', { url: saved.url }),
            );
            setEditing(null);
          }}
        />
      </Modal>
      <ConfirmDialog
        open={deleting !== null}
        title={t('admin.webhooks.deleteTitle')}
        message={t('admin.webhooks.deleteMessage', { url: deleting?.url ?? '' })}
        confirmLabel={t('common.delete')}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onCancel={() => setDeleting(null)}
      />
    </section>
  );
}
