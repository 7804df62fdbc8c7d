import { useState } from 'react';
import type { FieldDefinition } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';

type Props = { field: FieldDefinition; value: unknown; disabled: boolean; onSave: (value: unknown) => void };

const asText = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** A text or number field that saves when it loses focus or on Enter, and only if it changed. */
function TypedField({ field, value, disabled, onSave }: Props) {
  const saved = asText(value);
  const [text, setText] = useState(saved);
  const [was, setWas] = useState(saved);
  if (was !== saved) {
    setWas(saved);
    setText(saved);
  }
  const commit = () => {
    if (text === saved) return;
    if (field.type === 'number') onSave(text.trim() === '' ? null : Number(text));
    else onSave(text === '' ? null : text);
  };
  return (
    <input
      id={`field-${field.key}`}
      type={field.type === 'number' ? 'number' : 'text'}
      value={text}
      disabled={disabled}
      onChange={(event) => setText(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          commit();
        }
      }}
    />
  );
}

function FieldInput(props: Props) {
  const { field, value, disabled, onSave } = props;
  const id = `field-${field.key}`;
  if (field.type === 'boolean')
    return (
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        disabled={disabled}
        onChange={(event) => onSave(event.target.checked)}
      />
    );
  if (field.type === 'date')
    return (
      <input
        id={id}
        type="date"
        value={asText(value)}
        disabled={disabled}
        onChange={(event) => onSave(event.target.value || null)}
      />
    );
  if (field.type === 'select')
    return (
      <select
        id={id}
        value={asText(value)}
        disabled={disabled}
        onChange={(event) => onSave(event.target.value || null)}
      >
        <option value="">{t('common.none')}</option>
        {field.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  return <TypedField {...props} />;
}

/** The workspace's ticket fields, each saved on its own as it changes. */
export function CustomFields(props: {
  fields: FieldDefinition[];
  values: Record<string, unknown>;
  disabled: boolean;
  onSave: (key: string, value: unknown) => void;
}) {
  if (props.fields.length === 0) return null;
  return (
    <>
      {props.fields.map((field) => (
        <div key={field.id} className={`field${field.type === 'boolean' ? ' inline' : ''}`}>
          <label htmlFor={`field-${field.key}`}>
            {field.label}
            {field.required && <span aria-hidden="true"> *</span>}
          </label>
          <FieldInput
            field={field}
            value={props.values[field.key]}
            disabled={props.disabled}
            onSave={(value) => props.onSave(field.key, value)}
          />
        </div>
      ))}
    </>
  );
}
