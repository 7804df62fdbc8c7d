import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type ApiError, api } from '../api/client.ts';
import type { Customer, Ticket } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import {
  type Call,
  type CallDirection,
  type CallOutcome,
  callOutcomes,
  callsKey,
  customerClock,
  formatDuration,
  type LogCallInput,
  useCallbacks,
  useCustomerCalls,
  useSetCallbackStatus,
} from '../phone/phone-api.ts';
import { ticketKey } from './ticket-api.ts';
import '../phone/phone.css';

type Draft = {
  direction: CallDirection;
  number: string;
  minutes: string;
  seconds: string;
  outcome: CallOutcome;
  recordingUrl: string;
  notes: string;
};

const fresh = (number: string): Draft => ({
  direction: 'outbound',
  number,
  minutes: '',
  seconds: '',
  outcome: 'answered',
  recordingUrl: '',
  notes: '',
});

const seconds = (draft: Draft) =>
  Math.max(0, Math.round(Number(draft.minutes || 0) * 60 + Number(draft.seconds || 0)));

function LogCallDialog(props: { ticket: Ticket; phone: string; open: boolean; onClose: () => void }) {
  const { ticket, open, onClose } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const client = useQueryClient();
  const [draft, setDraft] = useState(() => fresh(props.phone));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  const log = useMutation<Call, ApiError, LogCallInput>({
    mutationFn: (input) => api<Call>('/calls', { body: input }),
    onSuccess: () => {
      // The call is a message on this ticket: its timeline and the customer's calls refresh.
      void client.invalidateQueries({ queryKey: ticketKey(ticket.id) });
      void client.invalidateQueries({ queryKey: callsKey(ticket.customer.id) });
      void client.invalidateQueries({ queryKey: ['tickets'] });
      setDraft(fresh(props.phone));
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    log.mutate({
      direction: draft.direction,
      number: draft.number.trim(),
      durationSeconds: seconds(draft),
      outcome: draft.outcome,
      recordingUrl: draft.recordingUrl.trim() || null,
      notes: draft.notes,
      customerId: ticket.customer.id,
      ticketId: ticket.id,
    });
  };
  const problems = log.error?.problem.errors ?? [];
  return (
    <dialog ref={dialog} className="dialog call-dialog" aria-labelledby="call-title" onClose={onClose}>
      <h2 id="call-title">{t('phone.log.title', { number: ticket.number })}</h2>
      <form onSubmit={submit} className="stack">
        <fieldset className="call-direction">
          <legend>{t('phone.direction')}</legend>
          {(['outbound', 'inbound'] as const).map((direction) => (
            <label key={direction}>
              <input
                type="radio"
                name="call-direction"
                checked={draft.direction === direction}
                onChange={() => set('direction', direction)}
              />{' '}
              {t(`phone.direction.${direction}`)}
            </label>
          ))}
        </fieldset>
        <label className="stack">
          {t('phone.number')}
          <input
            type="tel"
            required
            value={draft.number}
            onChange={(event) => set('number', event.target.value)}
            placeholder="+44 20 7946 0958"
          />
        </label>
        <div className="call-duration">
          {(['minutes', 'seconds'] as const).map((unit) => (
            <label key={unit} className="stack">
              {t(`phone.${unit}`)}
              <input
                type="number"
                min={0}
                max={unit === 'minutes' ? 1440 : 59}
                value={draft[unit]}
                onChange={(event) => set(unit, event.target.value)}
              />
            </label>
          ))}
        </div>
        <label className="stack">
          {t('phone.outcome')}
          <select
            value={draft.outcome}
            onChange={(event) => set('outcome', event.target.value as CallOutcome)}
          >
            {callOutcomes.map((outcome) => (
              <option key={outcome} value={outcome}>
                {t(`phone.outcome.${outcome}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="stack">
          {t('phone.recordingUrl')}
          <input
            type="url"
            value={draft.recordingUrl}
            onChange={(event) => set('recordingUrl', event.target.value)}
            placeholder="https://"
          />
        </label>
        <label className="stack">
          {t('phone.notes')}
          <textarea rows={4} value={draft.notes} onChange={(event) => set('notes', event.target.value)} />
        </label>
        {log.error && (
          <div role="alert" className="error">
            <p>{t('common.error', { detail: log.error.message })}</p>
            {problems.length > 0 && (
              <ul>
                {problems.map((problem) => (
                  <li key={`${problem.path}:${problem.message}`}>
                    {problem.path}: {problem.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <p className="muted small">
          {t(draft.direction === 'inbound' ? 'phone.log.inboundHint' : 'phone.log.outboundHint')}
        </p>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!draft.number.trim() || log.isPending}>
            {t('phone.log.action')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function PendingCallbacks({ customerId, canEdit }: { customerId: string; canEdit: boolean }) {
  const callbacks = useCallbacks('pending');
  const setStatus = useSetCallbackStatus();
  const mine = callbacks.data?.filter((callback) => callback.customerId === customerId) ?? [];
  if (mine.length === 0) return null;
  return (
    <ul className="other-tickets callback-list" aria-label={t('phone.callbacks.pending')}>
      {mine.map((callback) => (
        <li key={callback.id}>
          <strong>{t('phone.callbacks.ask', { phone: callback.phone })}</strong>{' '}
          <span className="muted small">
            {customerClock(callback.preferredAt, callback.timeZone)} ({callback.timeZone})
          </span>
          {canEdit && (
            <button
              type="button"
              disabled={setStatus.isPending}
              onClick={() => setStatus.mutate({ id: callback.id, status: 'done' })}
            >
              {t('phone.callbacks.done')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The customer's recent calls and pending call backs, with a dialog that logs a call on this ticket. */
export function CallsSection(props: { ticket: Ticket; customer: Customer; canEdit: boolean }) {
  const { ticket, customer, canEdit } = props;
  const [open, setOpen] = useState(false);
  const calls = useCustomerCalls(customer.id);
  return (
    <div className="calls">
      <div className="panel-head">
        <h3>{t('phone.calls')}</h3>
        {canEdit && (
          <button type="button" onClick={() => setOpen(true)}>
            {t('phone.log.open')}
          </button>
        )}
      </div>
      <PendingCallbacks customerId={customer.id} canEdit={canEdit} />
      {calls.data?.length === 0 && <p className="muted small">{t('phone.noCalls')}</p>}
      <ul className="other-tickets">
        {calls.data?.map((call) => (
          <li key={call.id}>
            {t(`phone.direction.${call.direction}`)} · {call.number} · {formatDuration(call.durationSeconds)}{' '}
            <span className="muted small">{t(`phone.outcome.${call.outcome as CallOutcome}`)}</span>
          </li>
        ))}
      </ul>
      {canEdit && (
        <LogCallDialog
          key={customer.phone ?? ''}
          ticket={ticket}
          phone={customer.phone ?? ''}
          open={open}
          onClose={() => setOpen(false)}
        />
      )}
    </div>
  );
}
