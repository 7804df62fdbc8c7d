import { type ChangeEvent, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import type { Upload } from './ticket-api.ts';
import { fileSize } from './ticket-format.ts';

/** "Attach files": uploads each choice at once and shows it as a removable chip until sent. */
export function UploadChips(props: {
  uploads: Upload[];
  onChange: (uploads: Upload[]) => void;
  disabled: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.currentTarget;
    const files = [...(chosen.files ?? [])];
    if (files.length === 0) return;
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    setBusy(true);
    setError('');
    try {
      const { data } = await api<{ data: Upload[] }>('/attachments', { body: form });
      props.onChange([...props.uploads, ...data]);
    } catch (caught) {
      setError(t('common.error', { detail: caught instanceof Error ? caught.message : String(caught) }));
    } finally {
      setBusy(false);
      chosen.value = '';
    }
  };
  return (
    <div className="uploads">
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label={t('ticket.attach')}
        onChange={(event) => void choose(event)}
      />
      <button type="button" onClick={() => input.current?.click()} disabled={props.disabled || busy}>
        {busy ? t('ticket.uploading') : t('ticket.attach')}
      </button>
      {props.uploads.length > 0 && (
        <ul className="chips" aria-label={t('ticket.attachments')}>
          {props.uploads.map((upload) => (
            <li key={upload.id} className="chip">
              <span>{upload.name}</span> <span className="muted">{fileSize(upload.size)}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={t('ticket.removeFile', { name: upload.name })}
                onClick={() => props.onChange(props.uploads.filter((u) => u.id !== upload.id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </div>
  );
}
