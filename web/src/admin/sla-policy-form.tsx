import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api } from '../api/client.ts';
import { type MessageKey, t } from '../i18n/i18n.ts';
import { Field, FormFooter, fieldError } from './admin-kit.tsx';
import {
  channels,
  priorities,
  type Schedule,
  type SlaPolicy,
  type SlaPolicyInput,
} from './automation-types.ts';

const targets = ['firstReplyMinutes', 'nextReplyMinutes', 'resolutionMinutes'] as const;

export function useSchedules() {
  return useQuery({
    queryKey: ['schedules'],
    queryFn: () => api<{ data: Schedule[] }>('/admin/schedules'),
    select: (r) => r.data,
  });
}

function Choices({
  name,
  legend,
  values,
  checked,
}: {
  name: 'priorities' | 'channels';
  legend: string;
  values: readonly string[];
  checked: string[] | undefined;
}) {
  const prefix = name === 'priorities' ? 'priority' : 'channel';
  return (
    <fieldset className="adm-check-group sla-choices">
      <legend>{legend}</legend>
      {values.map((value) => (
        <label key={value} className="adm-check">
          <input type="checkbox" name={name} value={value} defaultChecked={checked?.includes(value)} />
          {t(`${prefix}.${value}` as MessageKey)}
        </label>
      ))}
    </fieldset>
  );
}

const minutesOf = (form: FormData, key: string) => {
  const text = String(form.get(key) ?? '').trim();
  return text === '' ? null : Number(text);
};

/** Creates or edits an SLA policy: which tickets it covers, its targets, calendar and pausing. */
export function SlaPolicyForm({
  policy,
  nextPosition,
  onSaved,
}: {
  policy: SlaPolicy | null;
  nextPosition: number;
  onSaved: (saved: SlaPolicy) => void;
}) {
  const client = useQueryClient();
  const schedules = useSchedules();
  const save = useMutation({
    mutationFn: (body: SlaPolicyInput) =>
      policy
        ? api<SlaPolicy>(`/admin/sla-policies/${policy.id}`, { method: 'PATCH', body })
        : api<SlaPolicy>('/admin/sla-policies', { body: { ...body, position: nextPosition } }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['sla-policies'] });
      onSaved(saved);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const words = (key: string) =>
      String(form.get(key) ?? '')
        .split(',')
        .map((word) => word.trim())
        .filter(Boolean);
    const list = (key: string) => form.getAll(key).map(String);
    save.mutate({
      name: String(form.get('name')).trim(),
      active: form.get('active') === 'on',
      scheduleId: String(form.get('scheduleId') ?? '') || null,
      conditions: {
        ...policy?.conditions,
        priorities: list('priorities'),
        channels: list('channels'),
        tags: words('tags'),
        tiers: words('tiers'),
      },
      firstReplyMinutes: minutesOf(form, 'firstReplyMinutes'),
      nextReplyMinutes: minutesOf(form, 'nextReplyMinutes'),
      resolutionMinutes: minutesOf(form, 'resolutionMinutes'),
      warnMinutes: minutesOf(form, 'warnMinutes') ?? 30,
      pauseWhilePending: form.get('pauseWhilePending') === 'on',
    });
  };
  const error = save.error;
  return (
    <form className="stack" onSubmit={submit}>
      <Field label={t('sla.policy.name')} error={fieldError(error, 'name')}>
        {(a11y) => <input {...a11y} name="name" required maxLength={200} defaultValue={policy?.name} />}
      </Field>
      <p className="adm-hint">{t('sla.policy.appliesHint')}</p>
      <Choices
        name="priorities"
        legend={t('sla.policy.priorities')}
        values={priorities}
        checked={policy?.conditions.priorities}
      />
      <Choices
        name="channels"
        legend={t('sla.policy.channels')}
        values={channels}
        checked={policy?.conditions.channels}
      />
      <Field label={t('sla.policy.tags')} hint={t('sla.policy.tagsHint')}>
        {(a11y) => <input {...a11y} name="tags" defaultValue={policy?.conditions.tags?.join(', ')} />}
      </Field>
      <Field label={t('sla.policy.tiers')} hint={t('sla.policy.tiersHint')}>
        {(a11y) => <input {...a11y} name="tiers" defaultValue={policy?.conditions.tiers?.join(', ')} />}
      </Field>
      <fieldset className="sla-targets">
        <legend>{t('sla.policy.targets')}</legend>
        {targets.map((key) => (
          <Field key={key} label={t(`sla.policy.${key}`)} error={fieldError(error, key)}>
            {(a11y) => (
              <input
                {...a11y}
                name={key}
                type="number"
                min={1}
                placeholder={t('sla.policy.noTarget')}
                defaultValue={policy?.[key] ?? ''}
              />
            )}
          </Field>
        ))}
        <Field label={t('sla.policy.warnMinutes')} error={fieldError(error, 'warnMinutes')}>
          {(a11y) => (
            <input
              {...a11y}
              name="warnMinutes"
              type="number"
              min={0}
              defaultValue={policy?.warnMinutes ?? 30}
            />
          )}
        </Field>
      </fieldset>
      <Field label={t('sla.policy.schedule')} error={fieldError(error, 'scheduleId')}>
        {(a11y) => (
          <select {...a11y} name="scheduleId" defaultValue={policy?.scheduleId ?? ''}>
            <option value="">{t('sla.policy.aroundTheClock')}</option>
            {schedules.data?.map((schedule) => (
              <option key={schedule.id} value={schedule.id}>
                {schedule.name} ({schedule.timeZone})
              </option>
            ))}
          </select>
        )}
      </Field>
      <label className="adm-check">
        <input type="checkbox" name="pauseWhilePending" defaultChecked={policy?.pauseWhilePending ?? true} />
        {t('sla.policy.pause')}
      </label>
      <label className="adm-check">
        <input type="checkbox" name="active" defaultChecked={policy?.active ?? true} />
        {t('sla.policy.active')}
      </label>
      <FormFooter
        error={error}
        fields={['name', 'scheduleId', 'warnMinutes', ...targets]}
        pending={save.isPending}
        label={policy ? t('common.save') : t('common.create')}
      />
    </form>
  );
}
