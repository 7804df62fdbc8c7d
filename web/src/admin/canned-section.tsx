import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { api, query } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { Field, FormFooter, fieldError, SectionHead, useNotice } from './admin-kit.tsx';
import { AdminList, EditorModal, RowActions, useConfirmedDelete, VisibilityPill } from './admin-list.tsx';
import type { CannedResponse } from './admin-types.ts';

/** The placeholders the server fills when a response is applied to a ticket (canned-template.ts). */
const placeholders = [
  'customer.first_name',
  'customer.last_name',
  'customer.name',
  'customer.email',
  'ticket.number',
  'ticket.subject',
  'agent.first_name',
  'agent.name',
  'workspace.name',
];

type CannedInput = { title: string; body: string; shortcut: string | null; shared?: boolean };

function CannedForm({
  canned,
  me,
  onSaved,
}: {
  canned: CannedResponse | null;
  me: Me;
  onSaved: (canned: CannedResponse) => void;
}) {
  const client = useQueryClient();
  const body = useRef<HTMLTextAreaElement>(null);
  const save = useMutation({
    mutationFn: (input: CannedInput) =>
      canned
        ? api<CannedResponse>(`/canned-responses/${canned.id}`, {
            method: 'PATCH',
            body: { title: input.title, body: input.body, shortcut: input.shortcut },
          })
        : api<CannedResponse>('/canned-responses', {
            body: { ...input, shortcut: input.shortcut ?? undefined },
          }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['canned-responses'] });
      onSaved(saved);
    },
  });
  // Puts a placeholder where the caret is, and leaves the caret after it.
  const insert = (name: string) => {
    const area = body.current;
    if (!area) return;
    area.focus();
    area.setRangeText(`{{${name}}}`, area.selectionStart, area.selectionEnd, 'end');
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      title: String(form.get('title')).trim(),
      body: String(form.get('body')),
      shortcut: String(form.get('shortcut') ?? '').trim() || null,
      ...(me.user.role === 'admin' && !canned && { shared: form.get('shared') === 'on' }),
    });
  };
  const error = save.error;
  return (
    <form className="stack" onSubmit={submit}>
      <div className="adm-form-row">
        <Field label={t('admin.canned.titleLabel')} error={fieldError(error, 'title')}>
          {(a11y) => <input {...a11y} name="title" defaultValue={canned?.title} required maxLength={200} />}
        </Field>
        <Field
          label={t('admin.canned.shortcut')}
          hint={t('admin.canned.shortcutHint')}
          error={fieldError(error, 'shortcut')}
        >
          {(a11y) => (
            <input
              {...a11y}
              className="adm-mono"
              name="shortcut"
              defaultValue={canned?.shortcut ?? ''}
              maxLength={50}
            />
          )}
        </Field>
      </div>
      <Field
        label={t('admin.canned.body')}
        error={fieldError(error, 'body')}
        hint={
          <>
            {t('admin.canned.placeholdersHint')}{' '}
            {placeholders.map((name) => (
              <button
                key={name}
                type="button"
                className="adm-chip adm-mono"
                onClick={() => insert(name)}
                aria-label={t('admin.canned.insert', { name })}
              >
                {`{{${name}}}`}
              </button>
            ))}
          </>
        }
      >
        {(a11y) => (
          <textarea
            {...a11y}
            ref={body}
            name="body"
            rows={8}
            required
            maxLength={50_000}
            defaultValue={canned?.body}
          />
        )}
      </Field>
      {me.user.role === 'admin' && !canned && (
        <label className="adm-check">
          <input type="checkbox" name="shared" defaultChecked />
          {t('admin.canned.sharedToggle')}
        </label>
      )}
      {canned && (
        <p className="muted">{canned.shared ? t('admin.canned.isShared') : t('admin.canned.isPersonal')}</p>
      )}
      <FormFooter
        error={error}
        fields={['title', 'shortcut', 'body', 'shared']}
        pending={save.isPending}
        label={canned ? t('common.save') : t('common.create')}
      />
    </form>
  );
}

export function CannedSection({ me }: { me: Me }) {
  const client = useQueryClient();
  const notice = useNotice();
  const [q, setQ] = useState('');
  const canned = useQuery({
    queryKey: ['canned-responses', q.trim()],
    queryFn: ({ signal }) =>
      api<{ data: CannedResponse[] }>(`/canned-responses${query({ q: q.trim() })}`, { signal }),
    select: (r) => r.data,
    placeholderData: keepPreviousData,
  });
  const [editing, setEditing] = useState<CannedResponse | 'new' | null>(null);
  const remove = useConfirmedDelete({
    remove: (row: CannedResponse) => api<void>(`/canned-responses/${row.id}`, { method: 'DELETE' }),
    onDeleted: (row) => {
      void client.invalidateQueries({ queryKey: ['canned-responses'] });
      notice.say(t('admin.canned.deleted', { title: row.title }));
    },
    title: t('admin.canned.deleteTitle'),
    message: (row) => t('admin.canned.deleteMessage', { title: row.title }),
  });

  return (
    <section aria-labelledby="canned-title">
      <SectionHead
        id="canned-title"
        title={t('admin.nav.canned')}
        intro={me.user.role === 'admin' ? t('admin.canned.introAdmin') : t('admin.canned.intro')}
        action={
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('admin.canned.create')}
          </button>
        }
      />
      <search className="admin-filter">
        <label>
          {t('admin.canned.search')}{' '}
          <input type="search" value={q} onChange={(event) => setQ(event.target.value)} />
        </label>
      </search>
      {notice.element}
      <AdminList
        error={canned.error}
        data={canned.data}
        empty={q.trim() ? t('admin.canned.noMatch') : t('admin.canned.none')}
        columns={[
          t('admin.canned.titleLabel'),
          t('admin.canned.shortcut'),
          t('admin.canned.body'),
          t('admin.visibility'),
          { label: t('admin.canned.used'), className: 'adm-num' },
        ]}
      >
        {(row) => (
          <tr key={row.id}>
            <td className="adm-strong">{row.title}</td>
            <td className="adm-mono">{row.shortcut ?? ''}</td>
            <td className="adm-clip muted adm-wide-cell" title={row.body}>
              {row.body}
            </td>
            <td>
              <VisibilityPill shared={row.shared} />
            </td>
            <td className="adm-num">{row.usageCount}</td>
            <RowActions
              subject={row.title}
              onEdit={row.permissions.update ? () => setEditing(row) : undefined}
              onDelete={row.permissions.delete ? () => remove.ask(row) : undefined}
            />
          </tr>
        )}
      </AdminList>
      <EditorModal
        editing={editing}
        createTitle={t('admin.canned.create')}
        editTitle={t('admin.canned.edit')}
        onClose={() => setEditing(null)}
        wide
      >
        {(row) => (
          <CannedForm
            canned={row}
            me={me}
            onSaved={(saved) => {
              notice.say(t(row ? 'admin.canned.saved' : 'admin.canned.created', { title: saved.title }));
              setEditing(null);
            }}
          />
        )}
      </EditorModal>
      {remove.dialog}
    </section>
  );
}
