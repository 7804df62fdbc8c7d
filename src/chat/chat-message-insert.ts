import { sql } from 'drizzle-orm';
import { isIdentityRace } from '../customers/customer-upsert.ts';
import type { CustomerRef } from '../customers/identities.ts';
import type { Attachment as MessageAttachment } from '../db/schema/tickets.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { queryRows } from '../platform/db/database.ts';
import { recordEventCte } from '../platform/outbox/outbox.ts';
import { insertNewTicket } from '../tickets/ticket-insert.ts';
import type { TicketWithCustomer } from '../tickets/ticket-queries.ts';
import { ticketSummarySql } from '../tickets/ticket-records.ts';
import { createTicketWithCustomer, messageContent } from '../tickets/ticket-service.ts';
import { type ChatMessage, chatAttachments } from './chat-history.ts';
import type { VisitorContext } from './chat-service.ts';

/** The conversation a visitor's message aims at, and whether this client id was stored before. */
export type MessageTarget = {
  duplicate: { ticketId: string; seq: number } | null;
  /** The aimed-at conversation's ticket status, when it is this visitor's. */
  status: string | null;
};

const ownedBy = (visitor: VisitorContext) =>
  visitor.externalId
    ? sql`(c.visitor_id = ${visitor.visitorId} OR c.customer_id = (
        SELECT customer_id FROM customer_identities
        WHERE workspace_id = ${visitor.workspaceId} AND kind = 'external_id' AND value = ${visitor.externalId}))`
    : sql`c.visitor_id = ${visitor.visitorId}`;

/** One read answering what sendVisitorMessage must know first: a resend, and the conversation's state. */
export async function messageTarget(
  db: Db,
  visitor: VisitorContext,
  clientId: string,
  conversationId: string | null,
): Promise<MessageTarget> {
  const [row] = await queryRows<{ duplicate: MessageTarget['duplicate']; status: string | null }>(
    db,
    sql`SELECT
      (SELECT jsonb_build_object('ticketId', m.ticket_id, 'seq', m.seq)
         FROM chat_conversations c JOIN chat_messages m ON m.ticket_id = c.ticket_id
         WHERE c.workspace_id = ${visitor.workspaceId} AND ${ownedBy(visitor)} AND m.client_message_id = ${clientId}
         LIMIT 1) AS duplicate,
      (SELECT t.status FROM chat_conversations c JOIN tickets t ON t.id = c.ticket_id
         WHERE c.ticket_id = ${conversationId}::uuid AND c.workspace_id = ${visitor.workspaceId}
           AND ${ownedBy(visitor)} AND t.merged_into_id IS NULL) AS status`,
  );
  return { duplicate: row?.duplicate ?? null, status: row?.status ?? null };
}

/**
 * A visitor's text message into an open chat ticket (status new or open, which a customer message
 * leaves as it is), in one statement that PostgreSQL runs as one transaction: the message, the
 * ticket's activity, the conversation's next sequence number, the chat row and the message.created
 * event. It takes no NOTIFY: a notifying transaction holds PostgreSQL's one notify-queue lock through
 * its commit flush, so chat writers would commit one at a time (the caller publishes after commit).
 * Resolves to undefined, writing nothing, when the ticket is no longer new or open.
 */
export async function insertVisitorMessage(
  db: Db,
  visitor: VisitorContext,
  input: { ticketId: string; clientId: string; bodyText: string; channelMeta: Record<string, unknown> },
): Promise<ChatMessage | undefined> {
  const { workspaceId } = visitor;
  const rows = await queryRows<{ id: string; seq: number; created_at: string | Date }>(
    db,
    sql`WITH ticket AS (
      UPDATE tickets SET last_activity_at = now(), updated_at = now()
      WHERE id = ${input.ticketId} AND workspace_id = ${workspaceId}
        AND status IN ('new', 'open') AND merged_into_id IS NULL
      RETURNING *
    ), message AS (
      INSERT INTO messages (workspace_id, ticket_id, kind, author_customer_id, channel, body_text, channel_meta)
      SELECT ticket.workspace_id, ticket.id, 'customer_message', ticket.customer_id, ticket.channel,
        ${input.bodyText}, ${JSON.stringify(input.channelMeta)}::jsonb
      FROM ticket
      RETURNING id, created_at, channel
    ), conversation AS (
      UPDATE chat_conversations SET last_seq = last_seq + 1, updated_at = now()
      WHERE ticket_id = ${input.ticketId} AND EXISTS (SELECT 1 FROM ticket)
      RETURNING last_seq
    ), chat AS (
      INSERT INTO chat_messages (ticket_id, seq, workspace_id, message_id, sender, client_message_id)
      SELECT ${input.ticketId}, conversation.last_seq, ${workspaceId}, message.id, 'visitor', ${input.clientId}
      FROM conversation, message
      RETURNING seq
    ), ${recordEventCte({
      workspaceId: sql`ticket.workspace_id`,
      type: 'message.created',
      payload: sql`jsonb_build_object('ticket', ${ticketSummarySql},
        'message', jsonb_build_object('id', message.id, 'kind', 'customer_message', 'authorUserId', NULL,
          'channel', message.channel, 'excerpt', left(${input.bodyText}, 200)),
        'actorId', NULL)`,
      from: sql`ticket, message`,
      notify: false,
    })}
    SELECT message.id, chat.seq, message.created_at FROM message, chat`,
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    conversationId: input.ticketId,
    seq: Number(row.seq),
    id: row.id,
    sender: 'visitor',
    text: input.bodyText,
    attachments: [],
    author: null,
    clientId: input.clientId,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export type OpenInput = {
  subject: string;
  customer: CustomerRef;
  clientId: string;
  body: string;
  attachments: MessageAttachment[];
  channelMeta: Record<string, unknown>;
};

/**
 * Opens a chat: the ticket with its first message (insertNewTicket's one statement, without NOTIFY, so
 * the caller wakes the relays after commit), then the conversation, its first chat row and the visitor's
 * customer in one more. Call inside the caller's transaction. A workspace requiring ticket fields, or a
 * customer created meanwhile by someone else, goes through createTicketWithCustomer, which says why or
 * retries.
 */
export async function openConversation(tx: Db, visitor: VisitorContext, input: OpenInput) {
  const actor = systemActor(visitor.workspaceId);
  const content = messageContent({
    body: input.body,
    attachments: input.attachments,
    channelMeta: input.channelMeta,
  });
  const subject = input.subject.trim().slice(0, 500);
  let ticket: TicketWithCustomer | undefined;
  try {
    ticket = await tx.transaction((savepoint) =>
      insertNewTicket(
        savepoint,
        actor,
        {
          customer: input.customer,
          subject,
          status: 'new',
          priority: 'normal',
          channel: 'chat',
          assigneeId: null,
          teamId: null,
          tags: [],
          customFields: {},
          message: { outbound: false, ...content },
        },
        { notify: false },
      ),
    );
  } catch (error) {
    if (!isIdentityRace(error)) throw error;
  }
  ticket ??= await createTicketWithCustomer(tx, actor, {
    subject,
    customer: input.customer,
    channel: 'chat',
    message: { body: input.body, attachments: input.attachments, channelMeta: input.channelMeta },
  });
  const [row] = await queryRows<{ id: string; created_at: string | Date }>(
    tx,
    sql`WITH first AS (
      SELECT id, created_at FROM messages WHERE ticket_id = ${ticket.id} ORDER BY created_at LIMIT 1
    ), conversation AS (
      INSERT INTO chat_conversations (ticket_id, workspace_id, customer_id, visitor_id, last_seq)
      VALUES (${ticket.id}, ${visitor.workspaceId}, ${ticket.customerId}, ${visitor.visitorId}, 1)
    ), chat AS (
      INSERT INTO chat_messages (ticket_id, seq, workspace_id, message_id, sender, client_message_id)
      SELECT ${ticket.id}, 1, ${visitor.workspaceId}, first.id, 'visitor', ${input.clientId} FROM first
    ), visitor AS (
      UPDATE chat_visitors SET customer_id = ${ticket.customerId}
      WHERE workspace_id = ${visitor.workspaceId} AND visitor_id = ${visitor.visitorId}
    )
    SELECT id, created_at FROM first`,
  );
  const message: ChatMessage = {
    conversationId: ticket.id,
    seq: 1,
    id: row!.id,
    sender: 'visitor',
    text: content.bodyText,
    attachments: chatAttachments(content.attachments),
    author: null,
    clientId: input.clientId,
    createdAt: new Date(row!.created_at).toISOString(),
  };
  return { ticketId: ticket.id, message };
}
