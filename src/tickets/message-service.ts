import { and, desc, eq, sql } from 'drizzle-orm';
import { linkUploads, lockUploads } from '../attachments/attachment-service.ts';
import { messages, tickets } from '../db/schema/index.ts';
import type { AnyActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { conflict, forbidden, invalid, invalidState } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { recountTicket, type TicketStatus } from './ticket-counts.ts';
import { lockTicket, logTicketEvent, type TicketRow, ticketSummary } from './ticket-records.ts';
import {
  type Channel,
  checkStatusMove,
  type MessageContent,
  messageContent,
  statusTimestamps,
} from './ticket-service.ts';

export type MessageKind = 'customer_message' | 'public_reply' | 'internal_note';
export type MessageRow = typeof messages.$inferSelect;

export type AddMessageInput = MessageContent & {
  kind: MessageKind;
  channel?: Channel | undefined;
  /** Set the ticket's status in the same step ("send and set pending"). */
  status?: TicketStatus | undefined;
  /**
   * The newest message the author had seen. When someone else wrote since, nothing is sent and a
   * conflict is thrown, so the author can review it first.
   */
  lastSeenMessageId?: string | undefined;
  /** Files uploaded earlier (POST /attachments) and not yet sent; they become this message's. */
  attachmentIds?: string[] | undefined;
};

/** The status a message moves the ticket to when the author did not choose one. */
function impliedStatus(ticket: TicketRow, kind: MessageKind): TicketStatus {
  if (kind === 'customer_message') return ticket.status === 'new' ? 'new' : 'open';
  if (kind === 'public_reply' && ticket.status === 'new') return 'open';
  return ticket.status;
}

/**
 * Adds a customer message, public reply or internal note; updates the ticket's status, activity and
 * first-reply time in the same transaction. Light agents may only add internal notes.
 */
export async function addMessage(db: Db, actor: AnyActor, ticketId: string, input: AddMessageInput) {
  if (actor.role === 'light' && input.kind !== 'internal_note')
    throw forbidden('Light agents can only add internal notes');
  if (actor.role === 'system' && input.kind !== 'customer_message')
    throw invalid('The system only records customer messages here');
  if (actor.role === 'automation' && input.kind === 'customer_message')
    throw invalid('Automations reply and add notes; they never write as the customer');
  return db.transaction(async (tx) => {
    const before = await lockTicket(tx, actor.workspaceId, ticketId);
    // Uploaded files count as content, so a message may be files alone: check once they are read.
    const uploads = await lockUploads(tx, actor.workspaceId, input.attachmentIds ?? []);
    const content = messageContent({ ...input, attachments: [...(input.attachments ?? []), ...uploads] });
    if (before.status === 'closed' || before.mergedIntoId) {
      throw invalidState(
        before.mergedIntoId ? 'This ticket was merged into another' : 'A closed ticket takes no new messages',
      );
    }
    if (input.lastSeenMessageId) {
      const [latest] = await tx
        .select({ id: messages.id, authorUserId: messages.authorUserId })
        .from(messages)
        .where(eq(messages.ticketId, ticketId))
        .orderBy(desc(messages.createdAt), desc(messages.id))
        .limit(1);
      if (latest && latest.id !== input.lastSeenMessageId && latest.authorUserId !== actor.userId) {
        throw conflict(
          'Someone added to this ticket since you opened it; review the new message before sending',
        );
      }
    }
    const status =
      input.kind === 'internal_note'
        ? (input.status ?? before.status)
        : (input.status ?? impliedStatus(before, input.kind));
    checkStatusMove(before.status, status);
    const isAgentReply = input.kind === 'public_reply' && actor.userId !== null;
    const [message] = await tx
      .insert(messages)
      .values({
        workspaceId: actor.workspaceId,
        ticketId,
        kind: input.kind,
        authorUserId: input.kind === 'customer_message' ? null : actor.userId,
        authorCustomerId: input.kind === 'customer_message' ? before.customerId : null,
        channel: input.channel ?? (input.kind === 'internal_note' ? before.channel : before.channel),
        ...content,
      })
      .returning();
    await linkUploads(tx, actor.workspaceId, input.attachmentIds ?? [], message!.id);
    // First reply time only exists for tickets the customer opened (outbound tickets have none).
    const firstResponse =
      isAgentReply && !before.firstResponseAt
        ? sql`CASE WHEN EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = ${ticketId} AND m.kind = 'customer_message') THEN now() ELSE NULL END`
        : undefined;
    const [after] = await tx
      .update(tickets)
      .set({
        status,
        ...statusTimestamps(status, before.status),
        ...(firstResponse && { firstResponseAt: firstResponse }),
        lastActivityAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(tickets.id, ticketId), eq(tickets.workspaceId, actor.workspaceId)))
      .returning();
    await recountTicket(tx, actor.workspaceId, before, after!);
    if (status !== before.status) {
      await logTicketEvent(
        tx,
        actor,
        after!,
        'ticket.updated',
        { status: [before.status, status] },
        { messageId: message!.id },
      );
    }
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'message.created',
      payload: {
        ticket: ticketSummary(after!),
        message: {
          id: message!.id,
          kind: message!.kind,
          authorUserId: message!.authorUserId,
          channel: message!.channel,
          excerpt: message!.bodyText.slice(0, 200),
        },
        actorId: actor.userId,
      },
    });
    return { message: message!, ticket: after! };
  });
}
