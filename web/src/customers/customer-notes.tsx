import { type FormEvent, useState } from 'react';
import { ago } from '../admin/admin-kit.tsx';
import { t } from '../i18n/i18n.ts';
import { type CustomerNote, useSaveNote } from './customer-api.ts';

/**
 * Notes about the customer that agents keep ("prefers phone after 5 pm"), pinned ones first as the
 * server orders them; agents add a note, pinned or not, and pin or unpin one in a click.
 */
export function CustomerNotes({
  customerId,
  notes,
  canEdit,
}: {
  customerId: string;
  notes: CustomerNote[];
  canEdit: boolean;
}) {
  const save = useSaveNote(customerId);
  const [draft, setDraft] = useState('');
  const [pinned, setPinned] = useState(false);
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim()) return;
    save.mutate(
      { body: draft.trim(), pinned },
      {
        onSuccess: () => {
          setDraft('');
          setPinned(false);
        },
      },
    );
  };
  return (
    <section className="c360-notes" aria-labelledby={`notes-${customerId}`}>
      <h3 id={`notes-${customerId}`}>{t('customer.notes.title')}</h3>
      {notes.length === 0 && <p className="muted small">{t('customer.notes.none')}</p>}
      <ul className="c360-note-list" aria-label={t('customer.notes.title')}>
        {notes.map((note) => (
          <li key={note.id} className={note.pinned ? 'c360-note pinned' : 'c360-note'}>
            {note.pinned && <span className="pill c360-pin">{t('customer.notes.pinned')}</span>}
            <p>{note.body}</p>
            <span className="muted small">{ago(note.createdAt)}</span>
            {canEdit && (
              <button
                type="button"
                className="link-button small"
                aria-label={`${t(note.pinned ? 'customer.notes.unpin' : 'customer.notes.pin')}: ${note.body}`}
                disabled={save.isPending}
                onClick={() => save.mutate({ id: note.id, pinned: !note.pinned })}
              >
                {t(note.pinned ? 'customer.notes.unpin' : 'customer.notes.pin')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {canEdit && (
        <form className="c360-note-form" onSubmit={add}>
          <label htmlFor={`new-note-${customerId}`} className="visually-hidden">
            {t('customer.notes.new')}
          </label>
          <textarea
            id={`new-note-${customerId}`}
            rows={2}
            maxLength={5000}
            value={draft}
            placeholder={t('customer.notes.placeholder')}
            onChange={(event) => setDraft(event.target.value)}
          />
          <div className="c360-note-actions">
            <label className="small">
              <input type="checkbox" checked={pinned} onChange={(event) => setPinned(event.target.checked)} />{' '}
              {t('customer.notes.pinIt')}
            </label>
            <button type="submit" disabled={save.isPending || !draft.trim()}>
              {t('customer.notes.add')}
            </button>
          </div>
        </form>
      )}
      {save.error && (
        <p role="alert" className="error small">
          {t('common.error', { detail: save.error.message })}
        </p>
      )}
    </section>
  );
}
