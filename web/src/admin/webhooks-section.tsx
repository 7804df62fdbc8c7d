import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import {
  Field,
  FormFooter,
  fieldError,
  RowButton,
  SecretOnce,
  SectionHead,
  useNotice,
} from './admin-kit.tsx';
import { AdminList, EditorModal, RowActions, useConfirmedDelete } from './admin-list.tsx';
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
      <FormFooter
        error={error}
        fields={['url', 'description', 'events']}
        pending={save.isPending}
        disabled={events.size === 0}
        label={webhook ? t('common.save') : t('common.create')}
      />
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
  const remove = useConfirmedDelete({
    remove: (webhook: Webhook) => api<void>(`/webhooks/${webhook.id}`, { method: 'DELETE' }),
    onDeleted: (webhook) => {
      void client.invalidateQueries({ queryKey: ['webhooks'] });
      notice.say(t('admin.webhooks.deleted', { url: webhook.url }));
    },
    title: t('admin.webhooks.deleteTitle'),
    message: (webhook) => t('admin.webhooks.deleteMessage', { url: webhook.url }),
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
      <AdminList
        error={webhooks.error}
        data={webhooks.data}
        empty={t('admin.webhooks.none')}
        columns={[t('admin.webhooks.url'), t('admin.webhooks.events'), t('admin.webhooks.state')]}
        notes={showing && webhooks.data && !current && <p role="alert">{t('admin.webhooks.unknown')}</p>}
      >
        {(webhook) => (
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
            <RowActions
              subject={webhook.url}
              onEdit={() => setEditing(webhook)}
              onDelete={() => remove.ask(webhook)}
            >
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
            </RowActions>
          </tr>
        )}
      </AdminList>
      <EditorModal
        editing={editing}
        createTitle={t('admin.webhooks.create')}
        editTitle={t('admin.webhooks.edit')}
        onClose={() => setEditing(null)}
        wide
      >
        {(row) => (
          <WebhookForm
            webhook={row}
            onSaved={(saved) => {
              if ('secret' in saved) setSecret(saved as CreatedWebhook);
              notice.say(t(row ? 'admin.webhooks.saved' : 'admin.webhooks.created', { url: saved.url }));
              setEditing(null);
            }}
          />
        )}
      </EditorModal>
      {remove.dialog}
    </section>
  );
}
