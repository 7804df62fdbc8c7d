import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { Field, FormFooter, fieldError } from './admin-kit.tsx';
import { campaignsKey, type OutreachCampaign, type OutreachInput } from './outreach-types.ts';

const fields = [
  'name',
  'eventType',
  'channel',
  'segment',
  'subject',
  'body',
  'holdoutPercent',
  'throttleHours',
  'quietStart',
  'quietEnd',
  'active',
];

const list = (value: FormDataEntryValue | null) =>
  String(value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const placeholders = [
  '{{customer.first_name}}',
  '{{order.number}}',
  '{{event.KEY}}',
  '{{coupon.code}}',
  '{{customer.first_name | there}}',
];

/** Create or edit a campaign: the event that starts it, who it reaches, the message and its guard rails. */
export function OutreachForm({
  campaign,
  onSaved,
}: {
  campaign: OutreachCampaign | null;
  onSaved: (saved: OutreachCampaign) => void;
}) {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (body: OutreachInput) =>
      campaign
        ? api<OutreachCampaign>(`/outreach/campaigns/${campaign.id}`, { method: 'PATCH', body })
        : api<OutreachCampaign>('/outreach/campaigns', { body }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: campaignsKey });
      onSaved(saved);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      name: String(form.get('name')),
      eventType: String(form.get('eventType')),
      channel: form.get('channel') === 'chat' ? 'chat' : 'email',
      segment: { tags: list(form.get('tags')), tiers: list(form.get('tiers')) },
      subject: String(form.get('subject')),
      body: String(form.get('body')),
      holdoutPercent: Number(form.get('holdoutPercent')),
      throttleHours: Number(form.get('throttleHours')),
      quietStart: String(form.get('quietStart')),
      quietEnd: String(form.get('quietEnd')),
      active: form.get('active') === 'on',
    });
  };
  const error = save.error;
  return (
    <form className="stack" onSubmit={submit}>
      <div className="adm-form-row">
        <Field label={t('outreach.name')} error={fieldError(error, 'name')}>
          {(a11y) => <input {...a11y} name="name" required maxLength={200} defaultValue={campaign?.name} />}
        </Field>
        <Field
          label={t('outreach.eventType')}
          hint={t('outreach.eventTypeHint')}
          error={fieldError(error, 'eventType')}
        >
          {(a11y) => (
            <input
              {...a11y}
              className="adm-mono"
              name="eventType"
              required
              maxLength={100}
              defaultValue={campaign?.eventType ?? 'shipment.delayed'}
            />
          )}
        </Field>
        <Field label={t('outreach.channel')} error={fieldError(error, 'channel')}>
          {(a11y) => (
            <select {...a11y} name="channel" defaultValue={campaign?.channel ?? 'email'}>
              <option value="email">{t('outreach.channel.email')}</option>
              <option value="chat">{t('outreach.channel.chat')}</option>
            </select>
          )}
        </Field>
      </div>
      <div className="adm-form-row">
        <Field
          label={t('outreach.segmentTags')}
          hint={t('outreach.segmentHint')}
          error={fieldError(error, 'segment')}
        >
          {(a11y) => <input {...a11y} name="tags" defaultValue={campaign?.segment.tags?.join(', ')} />}
        </Field>
        <Field label={t('outreach.segmentTiers')}>
          {(a11y) => <input {...a11y} name="tiers" defaultValue={campaign?.segment.tiers?.join(', ')} />}
        </Field>
      </div>
      <Field label={t('outreach.subject')} error={fieldError(error, 'subject')}>
        {(a11y) => (
          <input {...a11y} name="subject" required maxLength={300} defaultValue={campaign?.subject} />
        )}
      </Field>
      <Field
        label={t('outreach.body')}
        hint={
          <>
            {t('outreach.placeholders')}{' '}
            {placeholders.map((placeholder) => (
              <code key={placeholder} className="adm-chip">
                {placeholder}
              </code>
            ))}
          </>
        }
        error={fieldError(error, 'body')}
      >
        {(a11y) => (
          <textarea
            {...a11y}
            name="body"
            required
            rows={5}
            maxLength={10_000}
            defaultValue={campaign?.body}
          />
        )}
      </Field>
      <div className="adm-form-row">
        <Field
          label={t('outreach.holdout')}
          hint={t('outreach.holdoutHint')}
          error={fieldError(error, 'holdoutPercent')}
        >
          {(a11y) => (
            <input
              {...a11y}
              name="holdoutPercent"
              type="number"
              min={0}
              max={50}
              required
              defaultValue={campaign?.holdoutPercent ?? 10}
            />
          )}
        </Field>
        <Field
          label={t('outreach.throttle')}
          hint={t('outreach.throttleHint')}
          error={fieldError(error, 'throttleHours')}
        >
          {(a11y) => (
            <input
              {...a11y}
              name="throttleHours"
              type="number"
              min={0}
              max={336}
              required
              defaultValue={campaign?.throttleHours ?? 24}
            />
          )}
        </Field>
        <Field
          label={t('outreach.quietStart')}
          hint={t('outreach.quietHint')}
          error={fieldError(error, 'quietStart')}
        >
          {(a11y) => (
            <input
              {...a11y}
              name="quietStart"
              type="time"
              required
              defaultValue={campaign?.quietStart ?? '21:00'}
            />
          )}
        </Field>
        <Field label={t('outreach.quietEnd')} error={fieldError(error, 'quietEnd')}>
          {(a11y) => (
            <input
              {...a11y}
              name="quietEnd"
              type="time"
              required
              defaultValue={campaign?.quietEnd ?? '08:00'}
            />
          )}
        </Field>
      </div>
      <label className="adm-check">
        <input type="checkbox" name="active" defaultChecked={campaign?.active ?? true} />{' '}
        {t('outreach.active')}
      </label>
      <FormFooter
        error={error}
        fields={fields}
        pending={save.isPending}
        label={campaign ? t('common.save') : t('common.create')}
      />
    </form>
  );
}
