import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import type { Tag } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import {
  Field,
  FormFooter,
  FormProblem,
  fieldError,
  Modal,
  SectionHead,
  shortDate,
  useNotice,
} from './admin-kit.tsx';
import { AdminList, RowActions, useConfirmedDelete } from './admin-list.tsx';

// Calm colours that keep white text readable; a new tag takes the next one.
const palette = ['#2346c8', '#137a3a', '#a3141e', '#9a4a00', '#6b3fa0', '#0f6b75', '#5b6475', '#b0306a'];

export function useTags() {
  return useQuery({
    queryKey: ['tags'],
    queryFn: () => api<{ data: Tag[] }>('/tags'),
    select: (r) => r.data,
    staleTime: 60_000,
  });
}

export function TagSwatch({ color }: { color: string | null }) {
  return <span className="adm-swatch" style={{ background: color ?? 'transparent' }} aria-hidden="true" />;
}

type TagInput = { name: string; color: string | null };

function ColourControls({ initial, error }: { initial: string | null; error?: string | undefined }) {
  const [none, setNone] = useState(initial === null);
  return (
    <Field label={t('admin.tags.colour')} error={error}>
      {(a11y) => (
        <div className="adm-inline-controls">
          <input {...a11y} type="color" name="color" defaultValue={initial ?? palette[0]} disabled={none} />
          <label className="adm-check">
            <input type="checkbox" name="noColor" checked={none} onChange={() => setNone(!none)} />
            {t('admin.tags.noColour')}
          </label>
        </div>
      )}
    </Field>
  );
}

const readTag = (form: HTMLFormElement): TagInput => {
  const data = new FormData(form);
  return {
    name: String(data.get('name')).trim(),
    color: data.get('noColor') ? null : String(data.get('color') ?? '') || null,
  };
};

function EditTagForm({ tag, onSaved }: { tag: Tag; onSaved: (tag: Tag) => void }) {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (body: TagInput) =>
      api<Tag>(`/tags/${encodeURIComponent(tag.name)}`, { method: 'PATCH', body }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['tags'] });
      // A rename rewrites the tag on every ticket.
      if (saved.name !== tag.name) void client.invalidateQueries({ queryKey: ['tickets'] });
      onSaved(saved);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate(readTag(event.currentTarget));
  };
  return (
    <form className="stack" onSubmit={submit}>
      <Field
        label={t('admin.tags.name')}
        hint={t('admin.tags.renameHint')}
        error={fieldError(save.error, 'name')}
      >
        {(a11y) => <input {...a11y} name="name" defaultValue={tag.name} required maxLength={100} />}
      </Field>
      <ColourControls initial={tag.color} error={fieldError(save.error, 'color')} />
      <FormFooter
        error={save.error}
        fields={['name', 'color']}
        pending={save.isPending}
        label={t('common.save')}
      />
    </form>
  );
}

export function TagsSection() {
  const client = useQueryClient();
  const tags = useTags();
  const notice = useNotice();
  const [editing, setEditing] = useState<Tag | null>(null);
  const [formKey, setFormKey] = useState(0);
  const create = useMutation({
    mutationFn: (body: TagInput) => api<Tag>('/tags', { body }),
    onSuccess: (tag) => {
      void client.invalidateQueries({ queryKey: ['tags'] });
      notice.say(t('admin.tags.created', { name: tag.name }));
      setFormKey((key) => key + 1);
    },
  });
  const remove = useConfirmedDelete({
    remove: (tag: Tag) => api<void>(`/tags/${encodeURIComponent(tag.name)}`, { method: 'DELETE' }),
    onDeleted: (tag) => {
      void client.invalidateQueries({ queryKey: ['tags'] });
      void client.invalidateQueries({ queryKey: ['tickets'] });
      notice.say(t('admin.tags.deleted', { name: tag.name }));
    },
    title: t('admin.tags.deleteTitle'),
    message: (tag) => t('admin.tags.deleteMessage', { name: tag.name }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate(readTag(event.currentTarget));
  };
  const nextColour = palette[(tags.data?.length ?? 0) % palette.length] ?? null;

  return (
    <section aria-labelledby="tags-title">
      <SectionHead id="tags-title" title={t('admin.nav.tags')} intro={t('admin.tags.intro')} />
      <form key={formKey} className="adm-inline-form" onSubmit={submit} aria-label={t('admin.tags.create')}>
        <Field label={t('admin.tags.name')} error={fieldError(create.error, 'name')}>
          {(a11y) => <input {...a11y} name="name" required maxLength={100} placeholder="billing" />}
        </Field>
        <ColourControls key={nextColour} initial={nextColour} error={fieldError(create.error, 'color')} />
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('admin.tags.create')}
        </button>
      </form>
      <FormProblem error={create.error} fields={['name', 'color']} />
      {notice.element}
      <AdminList
        error={tags.error}
        data={tags.data}
        empty={t('admin.tags.none')}
        columns={[t('admin.tags.name'), t('admin.tags.colour'), t('admin.created')]}
      >
        {(tag) => (
          <tr key={tag.name}>
            <td>
              <span className="adm-tag-chip">
                <TagSwatch color={tag.color} />
                {tag.name}
              </span>
            </td>
            <td className="adm-mono muted">{tag.color ?? t('common.none')}</td>
            <td className="muted">{shortDate(tag.createdAt)}</td>
            <RowActions subject={tag.name} onEdit={() => setEditing(tag)} onDelete={() => remove.ask(tag)} />
          </tr>
        )}
      </AdminList>
      <Modal open={editing !== null} title={t('admin.tags.edit')} onClose={() => setEditing(null)}>
        {editing && (
          <EditTagForm
            tag={editing}
            onSaved={(tag) => {
              notice.say(t('admin.tags.saved', { name: tag.name }));
              setEditing(null);
            }}
          />
        )}
      </Modal>
      {remove.dialog}
    </section>
  );
}
