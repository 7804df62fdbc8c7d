import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { api, query } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import type { CannedResponse } from './ticket-api.ts';

function useDebounced(value: string, ms: number) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** A searchable list of canned responses in a dialog; choosing one hands it to `onPick`. */
export function CannedPicker({
  onPick,
  disabled,
}: {
  onPick: (canned: CannedResponse) => void;
  disabled: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const q = useDebounced(text, 200);
  const results = useQuery({
    queryKey: ['canned-responses', q],
    queryFn: () => api<{ data: CannedResponse[] }>(`/canned-responses${query({ q })}`),
    select: (r) => r.data,
    enabled: open,
    placeholderData: (previous) => previous,
  });
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);

  const pick = (canned: CannedResponse) => {
    setOpen(false);
    onPick(canned);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const first = results.data?.[0];
    if (event.key === 'Enter' && first) {
      event.preventDefault();
      pick(first);
    }
  };
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} disabled={disabled}>
        {t('ticket.canned.open')}
      </button>
      <dialog
        ref={dialog}
        className="dialog canned-dialog"
        aria-labelledby="canned-title"
        onClose={() => setOpen(false)}
      >
        <h2 id="canned-title">{t('ticket.canned.title')}</h2>
        <label className="stack">
          {t('ticket.canned.search')}
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} />
        </label>
        {results.error && <p role="alert">{t('common.error', { detail: results.error.message })}</p>}
        <ul className="canned-list">
          {results.data?.map((canned) => (
            <li key={canned.id}>
              <button type="button" onClick={() => pick(canned)}>
                <strong>{canned.title}</strong>
                {canned.shortcut && <span className="muted"> /{canned.shortcut}</span>}
                <span className="canned-excerpt">{canned.body.slice(0, 140)}</span>
              </button>
            </li>
          ))}
        </ul>
        {results.data?.length === 0 && <p className="muted">{t('ticket.canned.none')}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={() => setOpen(false)}>
            {t('common.close')}
          </button>
        </div>
      </dialog>
    </>
  );
}
