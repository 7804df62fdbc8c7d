import type { FormEvent, KeyboardEvent, ReactNode, RefObject } from 'react';
import { t } from '../i18n/i18n.ts';

type Props = {
  /** `reply` or `note`: the composer's colour. */
  tone: 'reply' | 'note';
  label: string;
  body: string;
  onBody: (body: string) => void;
  /** Called by the send button and Ctrl/Cmd+Enter when `canSend`. */
  onSend: () => void;
  canSend: boolean;
  sendLabel: string;
  textarea?: RefObject<HTMLTextAreaElement | null> | undefined;
  onFocus?: (() => void) | undefined;
  /** Above the textarea: the reply/note switch, a conflict banner. */
  header?: ReactNode;
  /** Under the textarea: the reply coach, warnings. */
  below?: ReactNode;
  /** The bar's left side: canned responses, files. */
  tools?: ReactNode;
  /** The bar's right side, before the send button. */
  actions?: ReactNode;
  error?: Error | null | undefined;
};

/**
 * The composer's look and keys without what it writes to: the ticket composer and the training
 * practice conversation both render it, so agents practise in the box they reply in.
 */
export function ComposerFrame({
  tone,
  label,
  body,
  onBody,
  onSend,
  canSend,
  sendLabel,
  textarea,
  onFocus,
  header,
  below,
  tools,
  actions,
  error,
}: Props) {
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (canSend) onSend();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <form className={`composer ${tone}`} onSubmit={submit} aria-label={t('ticket.composer')}>
      {header}
      <label htmlFor="composer-body" className="visually-hidden">
        {label}
      </label>
      <textarea
        id="composer-body"
        ref={textarea}
        rows={5}
        value={body}
        placeholder={label}
        onFocus={onFocus}
        onChange={(event) => onBody(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {below}
      <div className="composer-bar">
        {tools}
        <span className="spacer" />
        {actions}
        <button type="submit" className="primary" disabled={!canSend} title={t('ticket.sendHint')}>
          {sendLabel}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {t('common.error', { detail: error.message })}
        </p>
      )}
    </form>
  );
}
