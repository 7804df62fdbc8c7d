import { eq } from 'drizzle-orm';
import { isIdentityRace, runCustomerUpsert } from '../customers/customer-upsert.ts';
import type { CustomerRef } from '../customers/identities.ts';
import { messages } from '../db/schema/index.ts';
import type { AnyActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { conflict } from '../platform/errors.ts';
import { addMessage, type MessageKind } from '../tickets/message-service.ts';
import { type Channel, createTicketWithCustomer, type MessageContent } from '../tickets/ticket-service.ts';

/**
 * Finds the customer one of these identities belongs to, or creates them, inside the caller's
 * transaction: each try runs in a savepoint, so losing the race for a new identity only means trying
 * again and finding the winner.
 */
export async function customerIdFor(tx: Db, workspaceId: string, ref: CustomerRef): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await tx.transaction((savepoint) => runCustomerUpsert(savepoint, workspaceId, ref));
    } catch (error) {
      if (!isIdentityRace(error)) throw error;
    }
  }
  throw conflict('The customer changed while we were saving; try again');
}

export type ChannelMessage = MessageContent & { kind: MessageKind; channel: Channel };

/**
 * Adds a channel's message to a ticket, or opens a ticket for the customer with it, in the caller's
 * transaction. Resolves to the ticket and message ids.
 */
export async function postToTicket(
  tx: Db,
  actor: AnyActor,
  target: { ticketId: string } | { customerId: string; subject: string; tags?: string[] },
  message: ChannelMessage,
): Promise<{ ticketId: string; messageId: string; created: boolean }> {
  if ('ticketId' in target) {
    const added = await addMessage(tx, actor, target.ticketId, message);
    return { ticketId: target.ticketId, messageId: added.message.id, created: false };
  }
  const kind = message.kind === 'internal_note' ? 'customer_message' : message.kind;
  const ticket = await createTicketWithCustomer(tx, actor, {
    subject: target.subject,
    customer: { id: target.customerId },
    message: { ...message, kind },
    channel: message.channel,
    tags: target.tags,
  });
  const [first] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(eq(messages.ticketId, ticket.id))
    .limit(1);
  return { ticketId: ticket.id, messageId: first!.id, created: true };
}
