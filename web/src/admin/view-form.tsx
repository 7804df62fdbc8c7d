import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api } from '../api/client.ts';
import type { Channel, Me, Priority, TicketStatus } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import type { TicketFilters } from '../inbox/views.ts';
import { useMembers, useTeams } from '../shell/directory.ts';
import { Field, FormFooter, fieldError } from './admin-kit.tsx';
import type { ViewDefinition } from './admin-types.ts';
import { CustomerPicker } from './customer-picker.tsx';
import { useTags } from './tags-section.tsx';

export const statuses: TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
export const priorities: Priority[] = ['low', 'normal', 'high', 'urgent'];
export const channels: Channel[] = ['email', 'chat', 'web', 'api', 'phone', 'social'];

// The filters this form edits; anything else a view holds (sort, order) is kept as it was.
const edited = ['status', 'priority', 'channel', 'team', 'assignee', 'tag', 'customer', 'q'] as const;

const csv = (value: string | undefined) => new Set(value ? value.split(',') : []);

function CheckGroup<T extends string>({
  legend,
  values,
  label,
  chosen,
  onChange,
}: {
  legend: string;
  values: T[];
  label: (value: T) => string;
  chosen: Set<string>;
  onChange: (next: Set<string>) => void;
}) {
  return (
    <fieldset className="adm-check-group">
      <legend>{legend}</legend>
      {values.map((value) => (
        <label key={value} className="adm-check">
          <input
            type="checkbox"
            checked={chosen.has(value)}
            onChange={() => {
              const next = new Set(chosen);
              if (next.has(value)) next.delete(value);
              else next.add(value);
              onChange(next);
            }}
          />
          {label(value)}
        </label>
      ))}
    </fieldset>
  );
}

type ViewInput = { name: string; filters: TicketFilters; shared?: boolean };

/** Names a set of ticket filters; the filters are the ticket list's own query parameters. */
export function ViewForm({
  view,
  me,
  onSaved,
}: {
  view: ViewDefinition | null;
  me: Me;
  onSaved: (view: ViewDefinition) => void;
}) {
  const client = useQueryClient();
  const { data: members } = useMembers();
  const { data: teams } = useTeams();
  const { data: tags } = useTags();
  const tagListId = useId();
  const initial = view?.filters ?? { status: 'new,open,pending,on_hold' };
  const [status, setStatus] = useState(csv(initial.status));
  const [priority, setPriority] = useState(csv(initial.priority));
  const [channel, setChannel] = useState(csv(initial.channel));
  const [customer, setCustomer] = useState(initial.customer ?? '');
  const admin = me.user.role === 'admin';
  const save = useMutation({
    mutationFn: (body: ViewInput) =>
      view
        ? api<ViewDefinition>(`/views/${view.id}`, { method: 'PATCH', body })
        : api<ViewDefinition>('/views', { body }),
    onSuccess: (saved) => {
      // The sidebar lists views with their counts.
      void client.invalidateQueries({ queryKey: ['views'] });
      onSaved(saved);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const filters: TicketFilters = Object.fromEntries(
      Object.entries(view?.filters ?? {}).filter(([key]) => !(edited as readonly string[]).includes(key)),
    );
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const set = (key: string, value: string) => {
      if (value) filters[key] = value;
    };
    set('status', [...status].join(','));
    set('priority', [...priority].join(','));
    set('channel', [...channel].join(','));
    set('team', text('team'));
    set('assignee', text('assignee'));
    set('tag', text('tag'));
    set('customer', customer);
    set('q', text('q'));
    save.mutate({ name: text('name'), filters, ...(admin && { shared: form.get('shared') === 'on' }) });
  };
  const error = save.error;
  return (
    <form className="stack" onSubmit={submit}>
      <Field label={t('admin.views.name')} error={fieldError(error, 'name')}>
        {(a11y) => <input {...a11y} name="name" defaultValue={view?.name} required maxLength={100} />}
      </Field>
      <CheckGroup
        legend={t('admin.views.status')}
        values={statuses}
        label={(value) => t(`status.${value}`)}
        chosen={status}
        onChange={setStatus}
      />
      <CheckGroup
        legend={t('admin.views.priority')}
        values={priorities}
        label={(value) => t(`priority.${value}`)}
        chosen={priority}
        onChange={setPriority}
      />
      <CheckGroup
        legend={t('admin.views.channel')}
        values={channels}
        label={(value) => t(`channel.${value}`)}
        chosen={channel}
        onChange={setChannel}
      />
      <div className="adm-form-row">
        <Field label={t('admin.views.assignee')}>
          {(a11y) => (
            <select {...a11y} name="assignee" defaultValue={initial.assignee ?? ''}>
              <option value="">{t('admin.views.anyone')}</option>
              <option value="me">{t('admin.views.me')}</option>
              <option value="none">{t('inbox.unassignedName')}</option>
              {members
                ?.filter((member) => member.role !== 'light')
                .map((member) => (
                  <option key={member.id} value={member.id}>
                    {member.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field label={t('admin.views.team')}>
          {(a11y) => (
            <select {...a11y} name="team" defaultValue={initial.team ?? ''}>
              <option value="">{t('admin.views.anyTeam')}</option>
              <option value="none">{t('admin.views.noTeam')}</option>
              {teams?.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('admin.views.tag')}>
          {(a11y) => (
            <>
              <input {...a11y} name="tag" list={tagListId} defaultValue={initial.tag ?? ''} maxLength={100} />
              <datalist id={tagListId}>
                {tags?.map((tag) => (
                  <option key={tag.name} value={tag.name} />
                ))}
              </datalist>
            </>
          )}
        </Field>
      </div>
      <div className="adm-form-row">
        <CustomerPicker value={customer} onChange={setCustomer} />
        <Field label={t('admin.views.text')} hint={t('admin.views.textHint')}>
          {(a11y) => <input {...a11y} name="q" defaultValue={initial.q ?? ''} maxLength={500} />}
        </Field>
      </div>
      {admin && (
        <label className="adm-check">
          <input type="checkbox" name="shared" defaultChecked={view?.shared ?? false} />
          {t('admin.views.sharedToggle')}
        </label>
      )}
      <FormFooter
        error={error}
        fields={['name']}
        pending={save.isPending}
        label={view ? t('common.save') : t('common.create')}
      />
    </form>
  );
}
