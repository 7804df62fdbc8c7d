import { type MessageKey, t } from '../i18n/i18n.ts';
import {
  type ActionKind,
  actionKinds,
  channels,
  conditionFields,
  hourFields,
  hourOps,
  keyedFields,
  priorities,
  statuses,
  type TriggerAction,
  type TriggerCondition,
  textOps,
  valuelessOps,
} from './automation-types.ts';

// Fields whose value is one of a few words: a select instead of free text.
const choices: Record<string, readonly string[]> = {
  status: statuses,
  priority: priorities,
  channel: channels,
  messageKind: ['customer_message', 'public_reply', 'internal_note'],
  sentiment: ['negative', 'neutral', 'positive'],
  survey_kind: ['csat', 'nps', 'ces'],
};

function choiceLabel(field: string, value: string): string {
  if (field === 'status') return t(`status.${value}` as MessageKey);
  if (field === 'priority') return t(`priority.${value}` as MessageKey);
  if (field === 'channel') return t(`channel.${value}` as MessageKey);
  return value;
}

/** One condition: field, operator, and the value (and key for a custom field) when the operator needs one. */
export function ConditionRow({
  condition,
  label,
  onChange,
  onRemove,
}: {
  condition: TriggerCondition;
  label: string;
  onChange: (next: TriggerCondition) => void;
  onRemove: () => void;
}) {
  const hours = hourFields.has(condition.field);
  const ops = hours ? hourOps : textOps;
  const options = choices[condition.field];
  const setField = (field: string) => {
    const nextHours = hourFields.has(field);
    const op = nextHours ? 'at_least' : hours ? 'is' : condition.op;
    onChange({ field, op, value: '', ...(keyedFields.has(field) && { key: condition.key ?? '' }) });
  };
  return (
    <li className="trigger-row">
      <select
        aria-label={t('automation.condition.field', { n: label })}
        value={condition.field}
        onChange={(event) => setField(event.target.value)}
      >
        {conditionFields.map((field) => (
          <option key={field} value={field}>
            {t(`automation.field.${field}` as MessageKey)}
          </option>
        ))}
      </select>
      {keyedFields.has(condition.field) && (
        <input
          aria-label={t('automation.condition.key', { n: label })}
          placeholder={t(
            condition.field === 'business_event'
              ? 'automation.condition.dataKeyPlaceholder'
              : 'automation.condition.keyPlaceholder',
          )}
          value={condition.key ?? ''}
          onChange={(event) => onChange({ ...condition, key: event.target.value })}
        />
      )}
      <select
        aria-label={t('automation.condition.op', { n: label })}
        value={condition.op}
        onChange={(event) => onChange({ ...condition, op: event.target.value })}
      >
        {ops.map((op) => (
          <option key={op} value={op}>
            {t(`automation.op.${op}` as MessageKey)}
          </option>
        ))}
      </select>
      {!valuelessOps.has(condition.op) &&
        (options && (condition.op === 'is' || condition.op === 'is_not') ? (
          <select
            aria-label={t('automation.condition.value', { n: label })}
            value={condition.value ?? ''}
            onChange={(event) => onChange({ ...condition, value: event.target.value })}
          >
            <option value="" disabled>
              {t('automation.choose')}
            </option>
            {options.map((value) => (
              <option key={value} value={value}>
                {choiceLabel(condition.field, value)}
              </option>
            ))}
          </select>
        ) : (
          <input
            aria-label={t('automation.condition.value', { n: label })}
            // Urgency also takes a level by name (low, medium, high).
            type={hours && condition.field !== 'urgency' ? 'number' : 'text'}
            min={hours && condition.field !== 'urgency' ? 0 : undefined}
            value={condition.value ?? ''}
            onChange={(event) => onChange({ ...condition, value: event.target.value })}
          />
        ))}
      <button type="button" aria-label={t('automation.condition.remove', { n: label })} onClick={onRemove}>
        ×
      </button>
    </li>
  );
}

/** A new action of `type` with the value its kind starts from. */
export function blankAction(type: ActionKind): TriggerAction {
  const kind = actionKinds[type];
  if (kind === 'priority') return { type, value: 'high' };
  if (kind === 'status') return { type, value: 'pending' };
  if (kind === 'tags') return { type, tags: [] };
  if (kind === 'body') return { type, body: '' };
  return { type };
}

/** One action: its type, then the one value that type takes. */
export function ActionRow({
  action,
  label,
  onChange,
  onRemove,
}: {
  action: TriggerAction;
  label: string;
  onChange: (next: TriggerAction) => void;
  onRemove: () => void;
}) {
  const kind = actionKinds[action.type as ActionKind];
  const valueLabel = t('automation.action.value', { n: label });
  return (
    <li className="trigger-row">
      <select
        aria-label={t('automation.action.type', { n: label })}
        value={action.type}
        onChange={(event) => onChange(blankAction(event.target.value as ActionKind))}
      >
        {(Object.keys(actionKinds) as ActionKind[]).map((type) => (
          <option key={type} value={type}>
            {t(`automation.action.${type}`)}
          </option>
        ))}
      </select>
      {(kind === 'priority' || kind === 'status') && (
        <select
          aria-label={valueLabel}
          value={String(action.value ?? '')}
          onChange={(event) => onChange({ ...action, value: event.target.value })}
        >
          {(kind === 'priority' ? priorities : statuses).map((value) => (
            <option key={value} value={value}>
              {choiceLabel(kind, value)}
            </option>
          ))}
        </select>
      )}
      {kind === 'tags' && (
        <input
          aria-label={valueLabel}
          placeholder={t('automation.action.tagsPlaceholder')}
          value={((action.tags as string[] | undefined) ?? []).join(', ')}
          onChange={(event) =>
            onChange({
              ...action,
              tags: event.target.value.split(',').map((tag) => tag.trimStart()),
            })
          }
        />
      )}
      {kind === 'body' && (
        <textarea
          aria-label={valueLabel}
          rows={2}
          value={String(action.body ?? '')}
          onChange={(event) => onChange({ ...action, body: event.target.value })}
        />
      )}
      <button type="button" aria-label={t('automation.action.remove', { n: label })} onClick={onRemove}>
        ×
      </button>
    </li>
  );
}
