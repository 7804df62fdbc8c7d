import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { type ApiError, api } from '../api/client.ts';
import type { Ticket } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { findTicketByNumber, useCustomerTickets } from './ticket-api.ts';

/**
 * Merges this ticket into another, found by number or picked from the customer's other tickets; asks
 * once more before doing it, then opens the ticket it went into.
 */
export function MergeDialog({
  ticket,
  open,
  onClose,
}: {
  ticket: Ticket;
  open: boolean;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const [number, setNumber] = useState('');
  const [target, setTarget] = useState<Ticket | undefined>(undefined);
  const [lookupError, setLookupError] = useState('');
  const others = useCustomerTickets(ticket.id, ticket.customer.id);
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);

  const merge = useMutation<{ target: Ticket }, ApiError, Ticket>({
    mutationFn: (into) => api(`/tickets/${ticket.id}/merge`, { body: { into: into.id } }),
    onSuccess: ({ target: merged }) => {
      void client.invalidateQueries({ queryKey: ['ticket'] });
      void client.invalidateQueries({ queryKey: ['tickets'] });
      void client.invalidateQueries({ queryKey: ['counts'] });
      onClose();
      navigate(`/tickets/${merged.id}`);
    },
  });

  const find = async (event: FormEvent) => {
    event.preventDefault();
    setLookupError('');
    setTarget(undefined);
    try {
      const found = await findTicketByNumber(number);
      if (!found) setLookupError(t('ticket.notFound', { number }));
      else if (found.id === ticket.id) setLookupError(t('ticket.mergeSelf'));
      else setTarget(found);
    } catch (error) {
      setLookupError(t('common.error', { detail: error instanceof Error ? error.message : String(error) }));
    }
  };

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="merge-title" onClose={onClose}>
      <h2 id="merge-title">{t('ticket.merge.title', { number: ticket.number })}</h2>
      <p className="muted">{t('ticket.merge.explain')}</p>
      <form onSubmit={(event) => void find(event)} className="inline-form">
        <label>
          {t('ticket.ticketNumber')}{' '}
          <input
            value={number}
            onChange={(event) => setNumber(event.target.value)}
            placeholder="#123"
            size={8}
          />
        </label>
        <button type="submit" disabled={!number.trim()}>
          {t('ticket.find')}
        </button>
      </form>
      {others.data && others.data.length > 0 && (
        <fieldset className="pick-list">
          <legend>{t('ticket.merge.pick')}</legend>
          {others.data
            .filter((other) => other.status !== 'closed' && !other.mergedIntoId)
            .map((other) => (
              <button
                key={other.id}
                type="button"
                aria-pressed={target?.id === other.id}
                onClick={() => {
                  setNumber(String(other.number));
                  setLookupError('');
                  setTarget(other);
                }}
              >
                #{other.number} {other.subject}
              </button>
            ))}
        </fieldset>
      )}
      {lookupError && (
        <p role="alert" className="error">
          {lookupError}
        </p>
      )}
      {target && (
        <p role="status" className="confirm">
          {t('ticket.merge.confirm', { from: ticket.number, to: target.number, subject: target.subject })}
        </p>
      )}
      {merge.error && (
        <p role="alert" className="error">
          {t('common.error', { detail: merge.error.message })}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!target || merge.isPending}
          onClick={() => target && merge.mutate(target)}
        >
          {target ? t('ticket.merge.into', { number: target.number }) : t('ticket.merge.action')}
        </button>
      </div>
    </dialog>
  );
}
