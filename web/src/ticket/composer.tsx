import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type RefObject, useRef, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { Message, Ticket, TicketStatus } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { CoachBar } from '../intel/coach-bar.tsx';
import { useDraftRequests } from '../intel/intel-api.ts';
import { CannedPicker } from './canned-picker.tsx';
import { ComposerFrame } from './composer-frame.tsx';
import { useDraft } from './draft.ts';
import { type CannedResponse, ticketKey } from './ticket-api.ts';
import { UploadChips } from './upload-chips.tsx';

export type ComposerMode = 'public_reply' | 'internal_note';
const afterStatuses: TicketStatus[] = ['open', 'pending', 'on_hold', 'solved'];

type Props = {
  ticket: Ticket;
  mode: ComposerMode;
  onMode: (mode: ComposerMode) => void;
  textarea: RefObject<HTMLTextAreaElement | null>;
  /** The newest message this agent has seen; the server refuses the send if someone wrote since. */
  lastSeenId: string | undefined;
  onSent: (message: Message) => void;
  /** Called after a refused send once the new messages are loaded. */
  onConflict: () => void;
  onTyping: () => void;
};

/** Reply to the customer or write an internal note, with canned responses, files and a kept draft. */
export function Composer({
  ticket,
  mode,
  onMode,
  textarea,
  lastSeenId,
  onSent,
  onConflict,
  onTyping,
}: Props) {
  const client = useQueryClient();
  const { draft, update, clear } = useDraft(ticket.id, mode);
  const [chosenStatus, setChosenStatus] = useState<TicketStatus | undefined>(undefined);
  const [missing, setMissing] = useState<string[]>([]);
  const [conflict, setConflict] = useState(false);
  const [cannedError, setCannedError] = useState('');
  const placedCursor = useRef(false);
  const defaultStatus = ticket.status === 'new' ? 'open' : ticket.status;
  const afterStatus = chosenStatus ?? defaultStatus;
  const setsStatus = afterStatus !== defaultStatus;
  const canReply = ticket.permissions.reply;
  const canNote = ticket.permissions.note;

  const send = useMutation({
    mutationFn: () =>
      api<Message>(`/tickets/${ticket.id}/messages`, {
        body: {
          body: draft.body,
          kind: mode,
          ...(setsStatus && { status: afterStatus }),
          ...(lastSeenId && { lastSeenMessageId: lastSeenId }),
          ...(draft.uploads.length > 0 && { attachmentIds: draft.uploads.map((u) => u.id) }),
        },
      }),
    onSuccess: (message) => {
      clear();
      setChosenStatus(undefined);
      setMissing([]);
      setConflict(false);
      onSent(message);
      void client.invalidateQueries({ queryKey: ticketKey(ticket.id) });
      void client.invalidateQueries({ queryKey: ['tickets'] });
      void client.invalidateQueries({ queryKey: ['counts'] });
    },
    onError: async (error) => {
      if (error instanceof ApiError && error.is('conflict')) {
        await client.refetchQueries({ queryKey: [...ticketKey(ticket.id), 'messages'] });
        setConflict(true);
        onConflict();
      }
    },
  });

  const empty = !draft.body.trim() && draft.uploads.length === 0;

  const insertText = (inserted: string) => {
    const element = textarea.current;
    const body = draft.body;
    // Where the agent left the cursor; a composer never clicked into takes it at the end.
    const start = element && placedCursor.current ? element.selectionStart : body.length;
    const end = element && placedCursor.current ? element.selectionEnd : body.length;
    const gap = start === body.length && body && !body.endsWith('\n') ? '\n\n' : '';
    const text = gap + inserted;
    update({ body: body.slice(0, start) + text + body.slice(end) });
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  // The side panel's "use as draft" and "insert" buttons.
  useDraftRequests(
    ticket.id,
    mode === 'public_reply',
    (body, how) => (how === 'insert' ? insertText(body) : update({ body })),
    () => onMode('public_reply'),
  );

  const insertCanned = async (canned: CannedResponse) => {
    setCannedError('');
    try {
      const rendered = await api<{ body: string; missing: string[] }>(
        `/canned-responses/${canned.id}/render`,
        {
          body: { ticketId: ticket.id },
        },
      );
      insertText(rendered.body);
      setMissing(rendered.missing);
    } catch (error) {
      setMissing([]);
      setCannedError(t('common.error', { detail: error instanceof Error ? error.message : String(error) }));
    }
  };

  if (!canReply && !canNote) {
    return (
      <p className="composer-closed muted">
        {t(ticket.mergedIntoId ? 'ticket.mergedClosed' : 'ticket.closedComposer')}
      </p>
    );
  }
  const label =
    mode === 'internal_note'
      ? t('ticket.noteLabel')
      : t('ticket.replyLabel', { name: ticket.customer.name || ticket.customer.email || '' });
  const error =
    send.error && !(send.error instanceof ApiError && send.error.is('conflict')) ? send.error : null;
  return (
    <ComposerFrame
      tone={mode === 'internal_note' ? 'note' : 'reply'}
      label={label}
      body={draft.body}
      onBody={(body) => {
        update({ body });
        onTyping();
      }}
      onSend={() => send.mutate()}
      canSend={!empty && !send.isPending}
      sendLabel={
        send.isPending
          ? t('ticket.sending')
          : setsStatus
            ? t('ticket.sendAndSet', { status: t(`status.${afterStatus}`) })
            : mode === 'internal_note'
              ? t('ticket.addNote')
              : t('ticket.send')
      }
      textarea={textarea}
      onFocus={() => {
        placedCursor.current = true;
      }}
      header={
        <>
          <fieldset className="composer-modes">
            <legend className="visually-hidden">{t('ticket.composerMode')}</legend>
            {canReply && (
              <button
                type="button"
                aria-pressed={mode === 'public_reply'}
                onClick={() => onMode('public_reply')}
              >
                {t('ticket.reply')} <kbd>r</kbd>
              </button>
            )}
            {canNote && (
              <button
                type="button"
                aria-pressed={mode === 'internal_note'}
                onClick={() => onMode('internal_note')}
              >
                {t('ticket.internalNote')} <kbd>n</kbd>
              </button>
            )}
          </fieldset>
          {conflict && (
            <div role="alert" className="conflict-banner">
              {t('ticket.conflict')}
            </div>
          )}
        </>
      }
      below={
        <>
          {mode === 'public_reply' && (
            <CoachBar ticketId={ticket.id} text={draft.body} onText={(body) => update({ body })} />
          )}
          {cannedError && (
            <p role="alert" className="error">
              {cannedError}
            </p>
          )}
          {missing.length > 0 && (
            <p role="alert" className="warning">
              {t('ticket.canned.missing', { names: missing.join(', ') })}
            </p>
          )}
        </>
      }
      tools={
        <>
          <CannedPicker onPick={(canned) => void insertCanned(canned)} disabled={send.isPending} />
          <UploadChips
            uploads={draft.uploads}
            onChange={(uploads) => update({ uploads })}
            disabled={send.isPending}
          />
        </>
      }
      actions={
        <label className="after-status">
          <span className="visually-hidden">{t('ticket.afterStatus')}</span>
          <select
            value={afterStatus}
            onChange={(event) => setChosenStatus(event.target.value as TicketStatus)}
          >
            {afterStatuses.map((status) => (
              <option key={status} value={status}>
                {t('ticket.statusOption', { status: t(`status.${status}`) })}
              </option>
            ))}
          </select>
        </label>
      }
      error={error}
    />
  );
}
