import { useEffect, useRef, useState } from 'react';
import { t } from '../i18n/i18n.ts';
import { useActiveShortcuts, useShortcut } from './shortcuts.ts';

/** The "?" dialog: every shortcut that works on the current page. */
export function ShortcutHelp() {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  useShortcut('?', 'shortcuts.help', () => setOpen(true));
  const shortcuts = useActiveShortcuts();
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  return (
    <dialog ref={dialog} aria-labelledby="shortcuts-title" onClose={() => setOpen(false)} className="dialog">
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <dl className="shortcut-list">
        {shortcuts.map(({ key, label }) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={() => setOpen(false)}>
        {t('common.close')}
      </button>
    </dialog>
  );
}
