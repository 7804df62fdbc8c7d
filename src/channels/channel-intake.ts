import { eq } from 'drizzle-orm';
import { linkUploads, lockUploads } from '../attachments/attachment-service.ts';
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

export type ChannelMessage = MessageContent & {
  kind: MessageKind;
  channel: Channel;
  /** Files stored already (uploadAttachments) that become this message's. */
  uploadIds?: string[] | undefined;
};

/**
 * Adds a channel's message to a ticket, or opens a ticket for the customer with it, in the caller's
 * transaction. Resolves to the ticket and message ids.
 */
export async function postToTicket(
  tx: Db,
  actor: AnyActor,
  target:
    | { ticketId: string }
    | { customerId: string; subject: string; tags?: string[]; customFields?: Record<string, unknown> },
  message: ChannelMessage,
): Promise<{ ticketId: string; messageId: string; created: boolean }> {
  if ('ticketId' in target) {
    const { uploadIds, ...content } = message;
    const added = await addMessage(tx, actor, target.ticketId, { ...content, attachmentIds: uploadIds });
    return { ticketId: target.ticketId, messageId: added.message.id, created: false };
  }
  const { uploadIds = [], ...content } = message;
  const kind = content.kind === 'internal_note' ? 'customer_message' : content.kind;
  const files = await lockUploads(tx, actor.workspaceId, uploadIds);
  const ticket = await createTicketWithCustomer(tx, actor, {
    subject: target.subject,
    customer: { id: target.customerId },
    message: { ...content, kind, attachments: [...(content.attachments ?? []), ...files] },
    channel: message.channel,
    tags: target.tags,
    customFields: target.customFields,
  });
  const [first] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(eq(messages.ticketId, ticket.id))
    .limit(1);
  await linkUploads(tx, actor.workspaceId, uploadIds, first!.id);
  return { ticketId: ticket.id, messageId: first!.id, created: true };
}
