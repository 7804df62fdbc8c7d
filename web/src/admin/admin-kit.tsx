import { type ButtonHTMLAttributes, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { age } from '../shell/format.ts';

/** A problem's issue path ("body.options.2", "password") reduced to the form field it names. */
const fieldOf = (path: string) => path.replace(/^(body|querystring|params)\./, '').split('.')[0] ?? '';

/** The message for one form field from a problem answer, if the server named that field. */
export function fieldError(error: unknown, name: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.problem.errors?.find((issue) => fieldOf(issue.path) === name)?.message;
}

type FieldA11y = { id: string; 'aria-describedby': string | undefined; 'aria-invalid': true | undefined };

/** A labelled control with an optional hint and the server's inline message for it. */
export function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: (a11y: FieldA11y) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="adm-field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {hint && (
        <p id={hintId} className="adm-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="adm-field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A failed request, said once for the whole form: the problem's detail, or, when the server named
 * fields the form shows inline, only the issues that have no field of their own.
 */
export function FormProblem({ error, fields = [] }: { error: Error | null; fields?: string[] }) {
  let text = '';
  if (error instanceof ApiError && error.problem.errors?.length) {
    const loose = error.problem.errors.filter((issue) => !fields.includes(fieldOf(issue.path)));
    text = loose.length
      ? loose
          .map((issue) => `${issue.path.replace(/^(body|querystring|params)\./, '')}: ${issue.message}`)
          .join('; ')
      : t('admin.fixFields');
  } else if (error) text = error.message;
  return (
    <p role="alert" className="error">
      {text}
    </p>
  );
}

/** The end of a form: what went wrong that no field shows, then the submit button. */
export function FormFooter({
  error,
  fields,
  pending,
  disabled = false,
  label,
}: {
  error: Error | null;
  fields: string[];
  pending: boolean;
  disabled?: boolean;
  label: string;
}) {
  return (
    <>
      <FormProblem error={error} fields={fields} />
      <div className="adm-dialog-actions">
        <button type="submit" className="primary" disabled={pending || disabled}>
          {label}
        </button>
      </div>
    </>
  );
}

/** A modal <dialog>: Escape closes it, focus stays inside, and returns to the opener when it closes. */
export function Modal({
  open,
  title,
  onClose,
  wide,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  wide?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog admin-dialog adm-wide' : 'dialog admin-dialog'}
      aria-labelledby={titleId}
      onClose={onClose}
    >
      <h2 id={titleId}>{title}</h2>
      {open && children}
    </dialog>
  );
}

/** Asks before something is deleted or revoked; Cancel comes first, so the dialog opens focused on it. */
export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  pending: boolean;
  error: Error | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Modal open={open} title={title} onClose={onCancel}>
      <p>{message}</p>
      <FormProblem error={error} />
      <div className="adm-dialog-actions">
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" className="adm-danger" onClick={onConfirm} disabled={pending}>
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}

/** The section's live region: successes are announced here, failures of row actions too. */
export function useNotice() {
  const [notice, setNotice] = useState<{ text: string; error: boolean }>({ text: '', error: false });
  return {
    say: (text: string) => setNotice({ text, error: false }),
    fail: (error: Error) => setNotice({ text: error.message, error: true }),
    clear: () => setNotice({ text: '', error: false }),
    element: (
      <>
        <p role="status" className="admin-notice">
          {notice.error ? '' : notice.text}
        </p>
        <p role="alert" className="error admin-notice">
          {notice.error ? notice.text : ''}
        </p>
      </>
    ),
  };
}

/** A secret the server shows only once (a token, a webhook secret, a first password), with a copy button. */
export function SecretOnce({
  label,
  value,
  note,
  onDone,
}: {
  label: string;
  value: string;
  note: string;
  onDone: () => void;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'' | 'ok' | 'failed'>('');
  useEffect(() => input.current?.focus(), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('ok');
    } catch {
      // No clipboard permission: leave the text selected so Ctrl+C works.
      input.current?.select();
      setCopied('failed');
    }
  };
  return (
    <div className="adm-secret-once">
      <label htmlFor={id}>{label}</label>
      <div className="adm-secret-row">
        <input
          ref={input}
          id={id}
          className="adm-mono"
          readOnly
          value={value}
          aria-describedby={`${id}-note`}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" onClick={() => void copy()}>
          {t('admin.copy')}
        </button>
        <button type="button" onClick={onDone}>
          {t('admin.secretDone')}
        </button>
      </div>
      <p id={`${id}-note`} className="adm-hint">
        {note}
      </p>
      <p role="status" className="adm-hint">
        {copied === 'ok' ? t('admin.copied') : copied === 'failed' ? t('admin.copyFailed') : ''}
      </p>
    </div>
  );
}

/**
 * The heading row of a section (or, at `level` 3, of one part of a section): its title, a line on what
 * it is for, and its main action.
 */
export function SectionHead({
  id,
  title,
  intro,
  action,
  level = 2,
}: {
  id: string;
  title: string;
  intro: string;
  action?: ReactNode;
  level?: 2 | 3;
}) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <div className={level === 2 ? 'admin-head' : 'admin-head admin-subhead'}>
      <div>
        <Heading id={id}>{title}</Heading>
        <p className="muted">{intro}</p>
      </div>
      {action}
    </div>
  );
}

export const shortDate = (iso: string) => new Date(iso).toLocaleDateString();

/** A button in a table row: it shows its verb, and says which row to a screen reader ("Delete: billing"). */
export function RowButton({
  label,
  subject,
  className,
  ...rest
}: { label: string; subject: string } & Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'>) {
  return (
    <button type="button" className={className} aria-label={`${label}: ${subject}`} {...rest}>
      {label}
    </button>
  );
}

/** "3 h ago", or "just now". */
export function ago(iso: string): string {
  const text = age(iso);
  return text === t('time.justNow') ? text : t('admin.ago', { age: text });
}
