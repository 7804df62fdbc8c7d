import type { OutboxEvent } from '../platform/outbox/outbox.ts';

/** The ticket a new customer message (or a new ticket) concerns; undefined for any other event. */
export function customerMessageTicket(event: OutboxEvent): string | undefined {
  const message = event.payload.message as { kind?: unknown } | undefined;
  if (event.type === 'message.created' && message?.kind !== 'customer_message') return undefined;
  const ticket = event.payload.ticket as { id?: unknown } | undefined;
  return typeof ticket?.id === 'string' ? ticket.id : undefined;
}

/** The tickets a batch of events concerns, each with its workspace (ticket id → workspace id). */
export function customerMessageTickets(events: OutboxEvent[]): Map<string, string> {
  const wanted = new Map<string, string>();
  for (const event of events) {
    const ticketId = customerMessageTicket(event);
    if (ticketId) wanted.set(ticketId, event.workspaceId);
  }
  return wanted;
}
