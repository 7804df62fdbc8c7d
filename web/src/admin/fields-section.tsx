import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import type { FieldDefinition } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { Field, FormFooter, fieldError, Modal, SectionHead, useNotice } from './admin-kit.tsx';
import { AdminTable, RowActions, useConfirmedDelete } from './admin-list.tsx';

type Entity = FieldDefinition['entity'];
type FieldType = FieldDefinition['type'];
const entities: Entity[] = ['ticket', 'customer'];
const types: FieldType[] = ['text', 'number', 'boolean', 'date', 'select'];

type FieldInput = {
  entity: Entity;
  key: string;
  label: string;
  type: FieldType;
  options: string[];
  required: boolean;
};

const optionLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

// "Order number" → "order_number": a key is suggested from the label until the admin types one.
const keyFrom = (label: string) =>
  label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 63);

function FieldForm({
  field,
  entity,
  onSaved,
}: {
  field: FieldDefinition | null;
  entity: Entity;
  onSaved: (field: FieldDefinition) => void;
}) {
  const client = useQueryClient();
  const [type, setType] = useState<FieldType>(field?.type ?? 'text');
  const [label, setLabel] = useState(field?.label ?? '');
  const [key, setKey] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (input: FieldInput) =>
      field
        ? api<FieldDefinition>(`/fields/${field.id}`, {
            method: 'PATCH',
            body: {
              label: input.label,
              required: input.required,
              ...(field.type === 'select' && { options: input.options }),
            },
          })
        : api<FieldDefinition>('/fields', {
            body: { ...input, options: input.type === 'select' ? input.options : undefined },
          }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['fields'] });
      onSaved(saved);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      entity: (String(form.get('entity') ?? '') || entity) as Entity,
      key: key ?? keyFrom(label),
      label: label.trim(),
      type,
      options: optionLines(String(form.get('options') ?? '')),
      required: form.get('required') === 'on',
    });
  };
  const error = save.error;
  return (
    <form className="stack" onSubmit={submit}>
      {field ? (
        <p className="muted">
          {t('admin.fields.fixed', {
            entity: t(`admin.fields.entity.${field.entity}`),
            key: field.key,
            type: t(`admin.fields.type.${field.type}`),
          })}
        </p>
      ) : (
        <Field label={t('admin.fields.entity')} error={fieldError(error, 'entity')}>
          {(a11y) => (
            <select {...a11y} name="entity" defaultValue={entity}>
              {entities.map((value) => (
                <option key={value} value={value}>
                  {t(`admin.fields.entity.${value}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field label={t('admin.fields.label')} error={fieldError(error, 'label')}>
        {(a11y) => (
          <input
            {...a11y}
            name="label"
            value={label}
            onChange={(event) => setLabel(event.target.value)}
            required
            maxLength={200}
          />
        )}
      </Field>
      {!field && (
        <>
          <Field
            label={t('admin.fields.key')}
            hint={t('admin.fields.keyHint')}
            error={fieldError(error, 'key')}
          >
            {(a11y) => (
              <input
                {...a11y}
                className="adm-mono"
                name="key"
                value={key ?? keyFrom(label)}
                onChange={(event) => setKey(event.target.value)}
                required
                pattern="[a-z][a-z0-9_]{0,62}"
              />
            )}
          </Field>
          <Field label={t('admin.fields.type')} error={fieldError(error, 'type')}>
            {(a11y) => (
              <select {...a11y} value={type} onChange={(event) => setType(event.target.value as FieldType)}>
                {types.map((value) => (
                  <option key={value} value={value}>
                    {t(`admin.fields.type.${value}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </>
      )}
      {type === 'select' && (
        <Field
          label={t('admin.fields.options')}
          hint={t('admin.fields.optionsHint')}
          error={fieldError(error, 'options')}
        >
          {(a11y) => (
            <textarea {...a11y} name="options" rows={5} required defaultValue={field?.options.join('\n')} />
          )}
        </Field>
      )}
      <label className="adm-check">
        <input type="checkbox" name="required" defaultChecked={field?.required ?? false} />
        {t('admin.fields.required')}
      </label>
      <FormFooter
        error={error}
        fields={['entity', 'label', 'key', 'type', 'options', 'required']}
        pending={save.isPending}
        label={field ? t('common.save') : t('common.create')}
      />
    </form>
  );
}

function FieldTable({
  entity,
  fields,
  onEdit,
  onDelete,
}: {
  entity: Entity;
  fields: FieldDefinition[];
  onEdit: (field: FieldDefinition) => void;
  onDelete: (field: FieldDefinition) => void;
}) {
  const headingId = `fields-${entity}`;
  return (
    <>
      <h3 id={headingId}>{t(`admin.fields.heading.${entity}`)}</h3>
      {fields.length === 0 ? (
        <p className="empty">{t('admin.fields.none')}</p>
      ) : (
        <AdminTable
          labelledBy={headingId}
          columns={[
            t('admin.fields.label'),
            t('admin.fields.key'),
            t('admin.fields.type'),
            t('admin.fields.options'),
            t('admin.fields.requiredColumn'),
          ]}
        >
          {fields.map((field) => (
            <tr key={field.id}>
              <td className="adm-strong">{field.label}</td>
              <td className="adm-mono">{field.key}</td>
              <td>{t(`admin.fields.type.${field.type}`)}</td>
              <td className="adm-clip muted" title={field.options.join(', ')}>
                {field.options.join(', ')}
              </td>
              <td>{field.required ? t('admin.yes') : t('admin.no')}</td>
              <RowActions
                subject={field.label}
                onEdit={() => onEdit(field)}
                onDelete={() => onDelete(field)}
              />
            </tr>
          ))}
        </AdminTable>
      )}
    </>
  );
}

export function FieldsSection() {
  const client = useQueryClient();
  const notice = useNotice();
  const fields = useQuery({
    queryKey: ['fields'],
    queryFn: () => api<{ data: FieldDefinition[] }>('/fields'),
    select: (r) => r.data,
  });
  const [editing, setEditing] = useState<{ field: FieldDefinition | null; entity: Entity } | null>(null);
  const remove = useConfirmedDelete({
    remove: (field: FieldDefinition) => api<void>(`/fields/${field.id}`, { method: 'DELETE' }),
    onDeleted: (field) => {
      void client.invalidateQueries({ queryKey: ['fields'] });
      notice.say(t('admin.fields.deleted', { label: field.label }));
    },
    title: t('admin.fields.deleteTitle'),
    message: (field) => t('admin.fields.deleteMessage', { label: field.label }),
  });

  return (
    <section aria-labelledby="fields-title">
      <SectionHead
        id="fields-title"
        title={t('admin.nav.fields')}
        intro={t('admin.fields.intro')}
        action={
          <button
            type="button"
            className="primary"
            onClick={() => setEditing({ field: null, entity: 'ticket' })}
          >
            {t('admin.fields.create')}
          </button>
        }
      />
      {notice.element}
      {fields.error && <p role="alert">{t('common.error', { detail: fields.error.message })}</p>}
      {fields.data &&
        entities.map((entity) => (
          <FieldTable
            key={entity}
            entity={entity}
            fields={fields.data.filter((field) => field.entity === entity)}
            onEdit={(field) => setEditing({ field, entity })}
            onDelete={remove.ask}
          />
        ))}
      <Modal
        open={editing !== null}
        title={editing?.field ? t('admin.fields.edit') : t('admin.fields.create')}
        onClose={() => setEditing(null)}
      >
        {editing && (
          <FieldForm
            field={editing.field}
            entity={editing.entity}
            onSaved={(field) => {
              notice.say(
                t(editing.field ? 'admin.fields.saved' : 'admin.fields.created', { label: field.label }),
              );
              setEditing(null);
            }}
          />
        )}
      </Modal>
      {remove.dialog}
    </section>
  );
}
