import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { type ApiError, api } from '../api/client.ts';
import type { Ticket } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { findTicketByNumber, type LinkKind, ticketKey, useLinks } from './ticket-api.ts';

const kinds: LinkKind[] = ['related', 'parent_of', 'child_of'];

function LinkDialog({ ticket, open, onClose }: { ticket: Ticket; open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const client = useQueryClient();
  const [kind, setKind] = useState<LinkKind>('related');
  const [number, setNumber] = useState('');
  const [problem, setProblem] = useState('');
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  const link = useMutation<unknown, ApiError, Ticket>({
    mutationFn: (other) => api(`/tickets/${ticket.id}/links`, { body: { ticketId: other.id, kind } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ticketKey(ticket.id) });
      setNumber('');
      onClose();
    },
    onError: (error) => setProblem(t('common.error', { detail: error.message })),
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem('');
    try {
      const other = await findTicketByNumber(number);
      if (!other) setProblem(t('ticket.notFound', { number }));
      else link.mutate(other);
    } catch (error) {
      setProblem(t('common.error', { detail: error instanceof Error ? error.message : String(error) }));
    }
  };
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="link-title" onClose={onClose}>
      <h2 id="link-title">{t('ticket.link.title', { number: ticket.number })}</h2>
      <form onSubmit={(event) => void submit(event)} className="stack">
        <label className="stack">
          {t('ticket.link.kind')}
          <select value={kind} onChange={(event) => setKind(event.target.value as LinkKind)}>
            {kinds.map((value) => (
              <option key={value} value={value}>
                {t(`ticket.link.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="stack">
          {t('ticket.ticketNumber')}
          <input value={number} onChange={(event) => setNumber(event.target.value)} placeholder="#123" />
        </label>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!number.trim() || link.isPending}>
            {t('ticket.link.action')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Related, parent and child tickets, with unlink and a dialog to add one. */
export function LinksSection({ ticket }: { ticket: Ticket }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const links = useLinks(ticket.id);
  const linked = useQueries({
    queries: (links.data ?? []).map((link) => ({
      queryKey: ticketKey(link.ticketId),
      queryFn: () => api<Ticket>(`/tickets/${link.ticketId}`),
    })),
  });
  const unlink = useMutation<unknown, ApiError, string>({
    mutationFn: (otherId) => api(`/tickets/${ticket.id}/links/${otherId}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ticketKey(ticket.id) }),
  });
  const canEdit = ticket.permissions.update;
  return (
    <section className="panel links" aria-labelledby="links-title">
      <div className="panel-head">
        <h2 id="links-title">{t('ticket.links')}</h2>
        {canEdit && (
          <button type="button" onClick={() => setOpen(true)}>
            {t('ticket.link.open')}
          </button>
        )}
      </div>
      {links.data?.length === 0 && <p className="muted small">{t('ticket.noLinks')}</p>}
      <ul className="other-tickets">
        {links.data?.map((link, index) => {
          const other = linked[index]?.data;
          return (
            <li key={`${link.kind}:${link.ticketId}`}>
              <span className="muted small">{t(`ticket.link.${link.kind}`)}</span>{' '}
              <Link href={`/tickets/${link.ticketId}`}>
                {other ? `#${other.number} ${other.subject}` : t('common.loading')}
              </Link>
              {canEdit && (
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={t('ticket.link.remove', { number: other?.number ?? '' })}
                  disabled={unlink.isPending}
                  onClick={() => unlink.mutate(link.ticketId)}
                >
                  ×
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {unlink.error && (
        <p role="alert" className="error">
          {t('common.error', { detail: unlink.error.message })}
        </p>
      )}
      <LinkDialog ticket={ticket} open={open} onClose={() => setOpen(false)} />
    </section>
  );
}
