import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ApiError, api } from '../api/client.ts';
import type { Ticket } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { ticketKey } from './ticket-api.ts';

type Macro = { id: string; name: string; description: string };

/** The workspace's macros, each applied to the ticket in one click (replies, fields, notes at once). */
export function MacroPanel({ ticket }: { ticket: Ticket }) {
  const client = useQueryClient();
  const macros = useQuery({
    queryKey: ['macros'],
    queryFn: () => api<{ data: Macro[] }>('/macros'),
    select: (r) => r.data,
  });
  const apply = useMutation<Ticket, ApiError, Macro>({
    mutationFn: (macro) => api<Ticket>(`/tickets/${ticket.id}/macros/${macro.id}`, { method: 'POST' }),
    onSuccess: (updated) => client.setQueryData(ticketKey(ticket.id), updated),
    onSettled: () => {
      // A macro may reply or leave a note as well as change fields.
      void client.invalidateQueries({ queryKey: ticketKey(ticket.id) });
      void client.invalidateQueries({ queryKey: ['tickets'] });
      void client.invalidateQueries({ queryKey: ['counts'] });
    },
  });
  if (!macros.data?.length) return null;
  return (
    <section className="panel macros" aria-labelledby="macros-title">
      <h2 id="macros-title">{t('ticket.macros')}</h2>
      <ul className="macro-list">
        {macros.data.map((macro) => (
          <li key={macro.id}>
            <button
              type="button"
              title={macro.description || undefined}
              aria-label={t('ticket.macro.apply', { name: macro.name })}
              disabled={apply.isPending}
              onClick={() => apply.mutate(macro)}
            >
              {macro.name}
            </button>
          </li>
        ))}
      </ul>
      {apply.isSuccess && (
        <p role="status" className="muted small">
          {t('ticket.macro.applied', { name: apply.variables.name })}
        </p>
      )}
      {apply.error && (
        <p role="alert" className="error">
          {t('common.error', { detail: apply.error.message })}
        </p>
      )}
    </section>
  );
}
