import type { QueryClient } from '@tanstack/react-query';
import { onStream } from './stream.ts';

/** Keeps cached lists, counts and open tickets fresh as domain events arrive from the stream. */
export function connectLiveQueries(client: QueryClient): () => void {
  return onStream((frame) => {
    if (frame.type === 'hello' || frame.type === 'presence' || frame.type === 'error') return;
    const ticket = (frame.data?.ticket ?? {}) as { id?: string };
    const ticketId = ticket.id ?? (frame.data?.ticketId as string | undefined);
    // SLA warnings and breaches come from a timer, not from a change: badges and the SLA views move.
    if (
      frame.type.startsWith('ticket.') ||
      frame.type.startsWith('message.') ||
      frame.type.startsWith('sla.')
    ) {
      void client.invalidateQueries({ queryKey: ['tickets'] });
      void client.invalidateQueries({ queryKey: ['counts'] });
      void client.invalidateQueries({ queryKey: ['views'] });
      if (ticketId) void client.invalidateQueries({ queryKey: ['ticket', ticketId] });
    }
    if (frame.type.startsWith('customer.')) void client.invalidateQueries({ queryKey: ['customer'] });
    // A reply's email changed state (sent, failed, bounced): only that ticket's delivery list is stale.
    if (frame.type === 'email.delivery_updated' && ticketId)
      void client.invalidateQueries({ queryKey: ['ticket', ticketId, 'email-deliveries'] });
  });
}
