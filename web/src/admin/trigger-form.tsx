import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { Field, FormFooter, fieldError } from './admin-kit.tsx';
import {
  actionKinds,
  conditionFields,
  type Trigger,
  type TriggerAction,
  type TriggerCondition,
  type TriggerConditions,
  type TriggerInput,
  triggerEvents,
  valuelessOps,
} from './automation-types.ts';
import { ActionRow, blankAction, ConditionRow } from './trigger-rows.tsx';
import './automation.css';

type Group = 'all' | 'any';
type Rules = { conditions: Required<TriggerConditions>; actions: TriggerAction[] };

const structured = new Set<string>(conditionFields);
/** Whether the structured form can show these rules; otherwise the form opens on the JSON editor. */
const fitsForm = (rules: Rules) =>
  [...rules.conditions.all, ...rules.conditions.any].every((c) => structured.has(c.field)) &&
  rules.actions.every((action) => action.type in actionKinds);

// The server validates and normalises; the form only drops what the inputs leave half-filled.
function cleaned(rules: Rules): Pick<TriggerInput, 'conditions' | 'actions'> {
  const condition = (c: TriggerCondition): TriggerCondition => {
    const { value, key, ...rest } = c;
    return {
      ...rest,
      ...(!valuelessOps.has(c.op) && { value: value ?? '' }),
      // An empty key is no key: optional for a business event, and "needs a key" for a custom field.
      ...(key && { key }),
    };
  };
  const action = (a: TriggerAction): TriggerAction =>
    Array.isArray(a.tags) ? { ...a, tags: (a.tags as string[]).map((tag) => tag.trim()).filter(Boolean) } : a;
  return {
    conditions: { all: rules.conditions.all.map(condition), any: rules.conditions.any.map(condition) },
    actions: rules.actions.map(action),
  };
}

function ConditionGroup({
  group,
  rows,
  onChange,
}: {
  group: Group;
  rows: TriggerCondition[];
  onChange: (rows: TriggerCondition[]) => void;
}) {
  const legend = group === 'all' ? t('automation.conditions.all') : t('automation.conditions.any');
  return (
    <fieldset className="trigger-group">
      <legend>{legend}</legend>
      {rows.length === 0 && <p className="muted adm-small">{t('automation.conditions.none')}</p>}
      <ol className="trigger-rows">
        {rows.map((condition, index) => (
          <ConditionRow
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own.
            key={index}
            condition={condition}
            label={`${group === 'all' ? t('automation.allShort') : t('automation.anyShort')} ${index + 1}`}
            onChange={(next) => onChange(rows.map((row, at) => (at === index ? next : row)))}
            onRemove={() => onChange(rows.filter((_, at) => at !== index))}
          />
        ))}
      </ol>
      <button
        type="button"
        onClick={() => onChange([...rows, { field: 'subject', op: 'contains', value: '' }])}
      >
        {group === 'all' ? t('automation.conditions.addAll') : t('automation.conditions.addAny')}
      </button>
    </fieldset>
  );
}

/** Creates or edits a trigger: name, events, all/any conditions and actions, or the rules as JSON. */
export function TriggerForm({
  trigger,
  nextPosition,
  onSaved,
}: {
  trigger: Trigger | null;
  /** Where a new trigger goes: after the others, so creating one never changes what runs first. */
  nextPosition: number;
  onSaved: (saved: Trigger) => void;
}) {
  const client = useQueryClient();
  const [events, setEvents] = useState<Set<string>>(new Set(trigger?.events ?? ['ticket.created']));
  const [rules, setRules] = useState<Rules>({
    conditions: { all: trigger?.conditions.all ?? [], any: trigger?.conditions.any ?? [] },
    actions: trigger?.actions ?? [blankAction('add_tags')],
  });
  const [json, setJson] = useState<string | null>(() =>
    trigger && !fitsForm(rules) ? JSON.stringify(cleaned(rules), null, 2) : null,
  );
  const [jsonProblem, setJsonProblem] = useState('');
  const save = useMutation({
    mutationFn: (body: TriggerInput) =>
      trigger
        ? api<Trigger>(`/admin/triggers/${trigger.id}`, { method: 'PATCH', body })
        : // A new trigger starts switched off: try it with a dry run, then switch it on in the list.
          api<Trigger>('/admin/triggers', { body: { ...body, position: nextPosition, active: false } }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['triggers'] });
      onSaved(saved);
    },
  });
  const toggleEvent = (event: string) =>
    setEvents((current) => {
      const next = new Set(current);
      if (next.has(event)) next.delete(event);
      else next.add(event);
      return next;
    });
  const setGroup = (group: Group) => (rows: TriggerCondition[]) =>
    setRules((current) => ({ ...current, conditions: { ...current.conditions, [group]: rows } }));
  const setActions = (actions: TriggerAction[]) => setRules((current) => ({ ...current, actions }));

  const parseJson = (text: string): Rules | null => {
    try {
      const parsed = JSON.parse(text) as { conditions?: TriggerConditions; actions?: TriggerAction[] };
      return {
        conditions: { all: parsed.conditions?.all ?? [], any: parsed.conditions?.any ?? [] },
        actions: parsed.actions ?? [],
      };
    } catch (error) {
      setJsonProblem(t('automation.json.invalid', { detail: (error as Error).message }));
      return null;
    }
  };
  const toForm = () => {
    const parsed = json === null ? null : parseJson(json);
    if (!parsed) return;
    if (!fitsForm(parsed)) return setJsonProblem(t('automation.json.tooRich'));
    setRules(parsed);
    setJson(null);
    setJsonProblem('');
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const current = json === null ? rules : parseJson(json);
    if (!current) return;
    setJsonProblem('');
    const form = new FormData(event.currentTarget);
    save.mutate({
      name: String(form.get('name')).trim(),
      events: triggerEvents.filter((type) => events.has(type)),
      ...cleaned(current),
    });
  };
  const error = save.error;
  return (
    <form className="stack" onSubmit={submit}>
      <Field label={t('automation.trigger.name')} error={fieldError(error, 'name')}>
        {(a11y) => <input {...a11y} name="name" required maxLength={200} defaultValue={trigger?.name} />}
      </Field>
      <fieldset className="adm-check-group">
        <legend>{t('automation.trigger.events')}</legend>
        {triggerEvents.map((type) => (
          <label key={type} className="adm-check">
            <input type="checkbox" checked={events.has(type)} onChange={() => toggleEvent(type)} />
            {t(`automation.event.${type}`)}
          </label>
        ))}
      </fieldset>
      {!trigger && <p className="adm-hint">{t('automation.trigger.startsOff')}</p>}
      {json === null ? (
        <>
          <ConditionGroup group="all" rows={rules.conditions.all} onChange={setGroup('all')} />
          <ConditionGroup group="any" rows={rules.conditions.any} onChange={setGroup('any')} />
          <fieldset className="trigger-group">
            <legend>{t('automation.actions')}</legend>
            <ol className="trigger-rows">
              {rules.actions.map((action, index) => (
                <ActionRow
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own.
                  key={index}
                  action={action}
                  label={String(index + 1)}
                  onChange={(next) => setActions(rules.actions.map((row, at) => (at === index ? next : row)))}
                  onRemove={() => setActions(rules.actions.filter((_, at) => at !== index))}
                />
              ))}
            </ol>
            <button type="button" onClick={() => setActions([...rules.actions, blankAction('add_tags')])}>
              {t('automation.action.add')}
            </button>
          </fieldset>
          <button
            type="button"
            className="adm-link-button"
            onClick={() => setJson(JSON.stringify(cleaned(rules), null, 2))}
          >
            {t('automation.json.open')}
          </button>
        </>
      ) : (
        <Field label={t('automation.json.label')} hint={t('automation.json.hint')}>
          {(a11y) => (
            <>
              <textarea
                {...a11y}
                className="adm-mono trigger-json"
                rows={14}
                spellCheck={false}
                value={json}
                onChange={(event) => setJson(event.target.value)}
              />
              <button type="button" className="adm-link-button" onClick={toForm}>
                {t('automation.json.close')}
              </button>
            </>
          )}
        </Field>
      )}
      {jsonProblem && (
        <p role="alert" className="adm-field-error">
          {jsonProblem}
        </p>
      )}
      <FormFooter
        error={error}
        fields={['name']}
        pending={save.isPending}
        disabled={events.size === 0}
        label={trigger ? t('common.save') : t('common.create')}
      />
    </form>
  );
}
