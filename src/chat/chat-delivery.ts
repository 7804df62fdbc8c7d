import { and, eq, inArray } from 'drizzle-orm';
import { chatConversations, chatMessages } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import type { OutboxEvent } from '../platform/outbox/outbox.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import { publishRealtime } from '../platform/realtime/hub.ts';
import { messagesAfter } from './chat-history.ts';
import { appendToConversation, publishChat } from './chat-service.ts';

type Payload = {
  ticket?: { id?: string; channel?: string; status?: string };
  message?: { id?: string; kind?: string };
  changes?: { status?: [string, string] };
};

/**
 * Puts every public message of a chat ticket that did not come through the widget (agents' replies,
 * and a customer's email on the same ticket) into the conversation with the next sequence number, and
 * publishes it to the visitor's sockets on every node. A replayed event finds its row and does nothing.
 */
async function deliver(tx: Db, event: OutboxEvent) {
  const { ticket, message } = event.payload as Payload;
  if (ticket?.channel !== 'chat' || !ticket.id || !message?.id || message.kind === 'internal_note') return;
  const [known] = await tx
    .select({ seq: chatMessages.seq })
    .from(chatMessages)
    .where(eq(chatMessages.messageId, message.id));
  if (known) return;
  const [conversation] = await tx
    .select({ ticketId: chatConversations.ticketId })
    .from(chatConversations)
    .where(
      and(eq(chatConversations.ticketId, ticket.id), eq(chatConversations.workspaceId, event.workspaceId)),
    );
  // A ticket created with channel chat through the API has no conversation: nobody to deliver to.
  if (!conversation) return;
  const sender = message.kind === 'public_reply' ? 'agent' : 'visitor';
  const seq = await appendToConversation(tx, ticket.id, message.id, sender, null);
  const [stored] = await messagesAfter(tx, event.workspaceId, ticket.id, seq - 1);
  if (stored) await publishChat(tx, event.workspaceId, stored);
}

/**
 * deliver for many events with one read: a busy chat's messages came through the widget and are in
 * the conversation already, so most events need nothing more than learning that.
 */
async function deliverAll(tx: Db, events: OutboxEvent[]) {
  const candidates = events.filter((event) => {
    const { ticket, message } = event.payload as Payload;
    return ticket?.channel === 'chat' && message?.id && message.kind !== 'internal_note';
  });
  if (candidates.length === 0) return;
  const ids = candidates.map((event) => (event.payload as Payload).message!.id!);
  const known = await tx
    .select({ messageId: chatMessages.messageId })
    .from(chatMessages)
    .where(inArray(chatMessages.messageId, ids));
  const seen = new Set(known.map((row) => row.messageId));
  for (const event of candidates)
    if (!seen.has((event.payload as Payload).message!.id!)) await deliver(tx, event);
}

export const chatDelivery: OutboxHandler = {
  name: 'chat-delivery',
  handles: (type) => type === 'message.created',
  handle: deliver,
  handleBatch: deliverAll,
};

/**
 * Tells the visitor's sockets when an agent solves or closes the chat (the ticket stays), and when it
 * opens again: the widget says the conversation ended and starts a new one with the next message.
 */
async function announceStatus(tx: Db, event: OutboxEvent) {
  const { ticket, changes } = event.payload as Payload;
  if (ticket?.channel !== 'chat' || !ticket.id || !changes?.status) return;
  const status = changes.status[1];
  await publishRealtime(tx, {
    workspaceId: event.workspaceId,
    type: 'chat.status',
    data: { ticketId: ticket.id, status, ended: status === 'solved' || status === 'closed' },
  });
}

export const chatStatus: OutboxHandler = {
  name: 'chat-status',
  handles: (type) => type === 'ticket.updated',
  handle: announceStatus,
};
