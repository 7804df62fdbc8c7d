import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Field, FormFooter, fieldError } from '../admin/admin-kit.tsx';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { type SurveyCampaign, type SurveyCampaignInput, surveyCampaignsKey } from './feedback-types.ts';

const fields = ['name', 'kind', 'segment', 'everyDays', 'suppressionDays', 'startAt', 'active'];
const today = () => new Date().toISOString().slice(0, 10);

/** A whole number of days, with the server's message for it. */
function DaysField(props: {
  name: string;
  label: string;
  hint?: string;
  min: number;
  max: number;
  value: number;
  error: Error | null;
}) {
  return (
    <Field label={props.label} hint={props.hint} error={fieldError(props.error, props.name)}>
      {(a11y) => (
        <input
          {...a11y}
          name={props.name}
          type="number"
          min={props.min}
          max={props.max}
          required
          defaultValue={props.value}
        />
      )}
    </Field>
  );
}

/** Create or edit an NPS/CES campaign: who it surveys, how often, and how long a customer rests after one. */
export function SurveyCampaignForm({
  campaign,
  onSaved,
}: {
  campaign: SurveyCampaign | null;
  onSaved: (saved: SurveyCampaign) => void;
}) {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (body: SurveyCampaignInput) =>
      campaign
        ? api<SurveyCampaign>(`/survey-campaigns/${campaign.id}`, { method: 'PATCH', body })
        : api<SurveyCampaign>('/survey-campaigns', { body }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: surveyCampaignsKey });
      onSaved(saved);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const tags = String(form.get('tags') ?? '')
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean);
    const startAt = String(form.get('startAt') ?? '');
    save.mutate({
      name: String(form.get('name')),
      kind: form.get('kind') === 'ces' ? 'ces' : 'nps',
      segment: tags.length ? { tags } : {},
      everyDays: Number(form.get('everyDays')),
      suppressionDays: Number(form.get('suppressionDays')),
      // Editing keeps the schedule unless a new first run is chosen.
      ...(startAt && (!campaign || startAt !== campaign.nextRunAt.slice(0, 10)) && { startAt }),
      active: form.get('active') === 'on',
    });
  };
  const error = save.error;
  return (
    <form className="stack" onSubmit={submit}>
      <Field label={t('feedback.campaign.name')} error={fieldError(error, 'name')}>
        {(a11y) => <input {...a11y} name="name" required maxLength={200} defaultValue={campaign?.name} />}
      </Field>
      <Field label={t('feedback.campaign.kind')} error={fieldError(error, 'kind')}>
        {(a11y) => (
          <select {...a11y} name="kind" defaultValue={campaign?.kind ?? 'nps'}>
            <option value="nps">{t('feedback.kind.nps')}</option>
            <option value="ces">{t('feedback.kind.ces')}</option>
          </select>
        )}
      </Field>
      <Field
        label={t('feedback.campaign.segment')}
        hint={t('feedback.campaign.segmentHint')}
        error={fieldError(error, 'segment')}
      >
        {(a11y) => <input {...a11y} name="tags" defaultValue={campaign?.segment.tags?.join(', ')} />}
      </Field>
      <div className="adm-form-row">
        <Field label={t('feedback.campaign.startAt')} error={fieldError(error, 'startAt')}>
          {(a11y) => (
            <input
              {...a11y}
              name="startAt"
              type="date"
              required={!campaign}
              defaultValue={campaign?.nextRunAt.slice(0, 10) ?? today()}
            />
          )}
        </Field>
        <DaysField
          name="everyDays"
          label={t('feedback.campaign.everyDays')}
          min={1}
          max={365}
          value={campaign?.everyDays ?? 30}
          error={error}
        />
        <DaysField
          name="suppressionDays"
          label={t('feedback.campaign.suppressionDays')}
          hint={t('feedback.campaign.suppressionHint')}
          min={0}
          max={730}
          value={campaign?.suppressionDays ?? 90}
          error={error}
        />
      </div>
      <label className="adm-check">
        <input type="checkbox" name="active" defaultChecked={campaign?.active ?? true} />{' '}
        {t('feedback.campaign.active')}
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
