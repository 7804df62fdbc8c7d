import { and, eq, inArray, sql } from 'drizzle-orm';
import { linkUploads, lockUploads } from '../attachments/attachment-service.ts';
import { upsertCustomerByIdentity } from '../customers/customer-service.ts';
import type { CustomerRef } from '../customers/identities.ts';
import {
  chatConversations,
  chatMessages,
  chatVisitors,
  customerIdentities,
  tickets,
} from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { invalid, notFound } from '../platform/errors.ts';
import { wakeRelaysSoon } from '../platform/outbox/outbox.ts';
import { publishRealtime } from '../platform/realtime/hub.ts';
import { addMessage } from '../tickets/message-service.ts';
import { type ChatMessage, conversationsOf, messagesAfter } from './chat-history.ts';
import { insertVisitorMessage, messageTarget, openConversation } from './chat-message-insert.ts';

/** Who is on the other end of a widget: a signed visitor id, and the site's user when verified. */
export type VisitorContext = {
  workspaceId: string;
  visitorId: string;
  /** The site's own user id, only when its identity hash checked out. */
  externalId: string | null;
  name: string | null;
  email: string | null;
};

/** The customer a verified user already is, found without creating one (a page view is not a customer). */
export async function verifiedCustomerId(db: Db, visitor: VisitorContext): Promise<string | null> {
  if (!visitor.externalId) return null;
  const [row] = await db
    .select({ customerId: customerIdentities.customerId })
    .from(customerIdentities)
    .where(
      and(
        eq(customerIdentities.workspaceId, visitor.workspaceId),
        eq(customerIdentities.kind, 'external_id'),
        eq(customerIdentities.value, visitor.externalId),
      ),
    );
  return row?.customerId ?? null;
}

/** The visitor's conversations, newest first. Anonymous visitors see only what this visitor id started. */
export async function visitorConversations(db: Db, visitor: VisitorContext) {
  return conversationsOf(db, visitor.workspaceId, {
    visitorId: visitor.visitorId,
    customerId: await verifiedCustomerId(db, visitor),
  });
}

/** Throws not_found unless the visitor may see this conversation. */
export async function ownConversation(db: Db, visitor: VisitorContext, ticketId: string) {
  const all = await visitorConversations(db, visitor);
  const found = all.find((c) => c.id === ticketId);
  if (!found) throw notFound('Conversation');
  return found;
}

export type VisitorMessageInput = {
  clientId: string;
  text: string;
  /** Files the visitor uploaded for this message (ids checked against their signed refs). */
  attachmentIds?: string[] | undefined;
  /** The conversation the widget shows; none (or a closed one) starts a new one. */
  conversationId: string | null;
  pageUrl: string | null;
  /** Answers of the pre-chat form, kept on the first message for the agent. */
  prechat?: Record<string, string> | undefined;
};

export type SentMessage = { message: ChatMessage; duplicate: boolean; newConversation: boolean };

const customerRefOf = (visitor: VisitorContext): CustomerRef => ({
  visitorId: visitor.visitorId,
  externalId: visitor.externalId ?? undefined,
  email: visitor.email ?? undefined,
  name: visitor.name ?? undefined,
});

/**
 * Stores a visitor's message with the next sequence number of its conversation, opening a chat ticket
 * for the first one, and publishes it to every node once committed. The client's id makes it
 * idempotent: a resend returns the stored message with `duplicate: true`. Text into an open chat is
 * one statement (insertVisitorMessage); the rest is one transaction holding a per-visitor lock, so two
 * tabs never open two chats. `alongside` writes more in that transaction once a new message is stored
 * (never for a resend); what it throws rolls the message back.
 */
export async function sendVisitorMessage(
  db: Db,
  visitor: VisitorContext,
  input: VisitorMessageInput,
  alongside?: Alongside,
): Promise<SentMessage> {
  const attachmentIds = input.attachmentIds ?? [];
  if (!input.text.trim() && attachmentIds.length === 0)
    throw invalid('A message needs text or a file', [{ path: 'text', message: 'is empty' }]);
  const target = await messageTarget(db, visitor, input.clientId, input.conversationId);
  if (target.duplicate) {
    const { ticketId, seq } = target.duplicate;
    const [message] = await messagesAfter(db, visitor.workspaceId, ticketId, seq - 1);
    return { message: message!, duplicate: true, newConversation: false };
  }
  // The busy case, text into an open chat, is one statement; anything else takes the general path.
  const text = input.text.trim();
  if (
    !alongside &&
    input.conversationId &&
    attachmentIds.length === 0 &&
    text &&
    ['new', 'open'].includes(target.status ?? '')
  ) {
    const message = await insertVisitorMessage(db, visitor, {
      ticketId: input.conversationId,
      clientId: input.clientId,
      bodyText: text,
      channelMeta: { chat: { pageUrl: input.pageUrl, clientId: input.clientId } },
    });
    if (message) {
      await publishChat(db, visitor.workspaceId, message);
      wakeRelaysSoon(db);
      return { message, duplicate: false, newConversation: false };
    }
  }
  const sent = await sendInTransaction(db, visitor, input, attachmentIds, alongside);
  if (!sent.duplicate) {
    await publishChat(db, visitor.workspaceId, sent.message);
    // A new chat's ticket was written without NOTIFY (see openConversation).
    wakeRelaysSoon(db);
  }
  return sent;
}

/** More writes committed with a visitor's new message, such as the call back it asks for. */
export type Alongside = (tx: Db, sent: SentMessage) => Promise<void>;

async function sendInTransaction(
  db: Db,
  visitor: VisitorContext,
  input: VisitorMessageInput,
  attachmentIds: string[],
  alongside: Alongside | undefined,
): Promise<SentMessage> {
  return db.transaction(async (tx) => {
    const sent = await storeVisitorMessage(tx, visitor, input, attachmentIds);
    if (alongside && !sent.duplicate) await alongside(tx, sent);
    return sent;
  });
}

async function storeVisitorMessage(
  tx: Db,
  visitor: VisitorContext,
  input: VisitorMessageInput,
  attachmentIds: string[],
): Promise<SentMessage> {
  const actor = systemActor(visitor.workspaceId);
  const lockKey = `chat:${visitor.workspaceId}:${visitor.externalId ?? visitor.visitorId}`;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${lockKey}))`);
  const mine = await visitorConversations(tx, visitor);
  const earlier = await findByClientId(
    tx,
    mine.map((c) => c.id),
    input.clientId,
  );
  if (earlier) {
    const [message] = await messagesAfter(tx, visitor.workspaceId, earlier.ticketId, earlier.seq - 1);
    return { message: message!, duplicate: true, newConversation: false };
  }
  const channelMeta = { chat: { pageUrl: input.pageUrl, clientId: input.clientId } };
  const current = mine.find((c) => c.id === input.conversationId && c.status !== 'closed');
  if (current) {
    const added = await addMessage(tx, actor, current.id, {
      kind: 'customer_message',
      body: input.text,
      channelMeta,
      attachmentIds,
    });
    const seq = await appendToConversation(tx, current.id, added.message.id, 'visitor', input.clientId);
    const [message] = await messagesAfter(tx, visitor.workspaceId, current.id, seq - 1);
    return { message: message!, duplicate: false, newConversation: false };
  } else {
    const uploads = await lockUploads(tx, visitor.workspaceId, attachmentIds);
    const opened = await openConversation(tx, visitor, {
      subject: subjectOf(input.text) || uploads.map((file) => file.name).join(', '),
      customer: customerRefOf(visitor),
      clientId: input.clientId,
      body: input.text,
      attachments: uploads,
      channelMeta: { chat: { ...channelMeta.chat, prechat: input.prechat ?? null } },
    });
    await linkUploads(tx, visitor.workspaceId, attachmentIds, opened.message.id);
    return { message: opened.message, duplicate: false, newConversation: true };
  }
}

const subjectOf = (text: string) => {
  const line = text.trim().split('\n')[0]!.trim();
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
};

async function findByClientId(tx: Db, ticketIds: string[], clientId: string) {
  if (ticketIds.length === 0) return undefined;
  const [row] = await tx
    .select({ ticketId: chatMessages.ticketId, seq: chatMessages.seq })
    .from(chatMessages)
    .where(and(inArray(chatMessages.ticketId, ticketIds), eq(chatMessages.clientMessageId, clientId)));
  return row;
}

/** Gives a ticket message the conversation's next sequence number; the conversation row is the lock. */
export async function appendToConversation(
  tx: Db,
  ticketId: string,
  messageId: string,
  sender: 'visitor' | 'agent',
  clientId: string | null,
): Promise<number> {
  const [conversation] = await tx
    .update(chatConversations)
    .set({ lastSeq: sql`${chatConversations.lastSeq} + 1`, updatedAt: sql`now()` })
    .where(eq(chatConversations.ticketId, ticketId))
    .returning({ seq: chatConversations.lastSeq, workspaceId: chatConversations.workspaceId });
  if (!conversation) throw notFound('Conversation');
  await tx.insert(chatMessages).values({
    ticketId,
    seq: conversation.seq,
    workspaceId: conversation.workspaceId,
    messageId,
    sender,
    clientMessageId: clientId,
  });
  return conversation.seq;
}

/** Publishes a stored chat message to every node (at commit, as NOTIFY is transactional). */
export async function publishChat(tx: Db, workspaceId: string, message: ChatMessage) {
  // Bodies can pass NOTIFY's size limit: the frame carries only the position, and sockets read the rest.
  await publishRealtime(tx, {
    workspaceId,
    type: 'chat.message',
    data: { ticketId: message.conversationId, seq: message.seq, message: fitsNotify(message) },
  });
}

const fitsNotify = (message: ChatMessage) => (JSON.stringify(message).length < 5500 ? message : null);

/** Records how far the visitor has read; returns the new mark (never moves back). */
export async function markVisitorRead(db: Db, visitor: VisitorContext, ticketId: string, seq: number) {
  await ownConversation(db, visitor, ticketId);
  return markRead(db, visitor.workspaceId, ticketId, 'visitor', seq);
}

/** Records that the agents have read the conversation up to `seq` (default: all of it). */
export async function markAgentRead(db: Db, actor: Actor, ticketId: string, seq?: number) {
  return markRead(db, actor.workspaceId, ticketId, 'agent', seq);
}

async function markRead(
  db: Db,
  workspaceId: string,
  ticketId: string,
  by: 'visitor' | 'agent',
  seq: number | undefined,
): Promise<number> {
  const column = by === 'visitor' ? chatConversations.visitorReadSeq : chatConversations.agentReadSeq;
  const wanted =
    seq === undefined ? chatConversations.lastSeq : sql`LEAST(${seq}, ${chatConversations.lastSeq})`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(chatConversations)
      .set(
        by === 'visitor'
          ? { visitorReadSeq: sql`GREATEST(${column}, ${wanted})` }
          : { agentReadSeq: sql`GREATEST(${column}, ${wanted})` },
      )
      .where(and(eq(chatConversations.ticketId, ticketId), eq(chatConversations.workspaceId, workspaceId)))
      .returning({
        visitorReadSeq: chatConversations.visitorReadSeq,
        agentReadSeq: chatConversations.agentReadSeq,
      });
    if (!row) throw notFound('Conversation');
    const mark = by === 'visitor' ? row.visitorReadSeq : row.agentReadSeq;
    await publishRealtime(tx, { workspaceId, type: 'chat.read', data: { ticketId, by, seq: mark } });
    return mark;
  });
}

/**
 * Keeps the email a visitor left (offline form) as an email identity of their customer, so the agent's
 * answer can go out by email. Before their first message there is no customer yet: the caller keeps the
 * address and the first message carries it.
 */
export async function leaveEmail(db: Db, visitor: VisitorContext, email: string): Promise<boolean> {
  const conversations = await visitorConversations(db, visitor);
  if (conversations.length === 0) return false;
  await db.transaction((tx) =>
    upsertCustomerByIdentity(tx, visitor.workspaceId, customerRefOf({ ...visitor, email })),
  );
  return true;
}

/** The state the agent's chat panel shows for a chat ticket. */
export async function conversationState(db: Db, actor: Actor, ticketId: string) {
  const [row] = await db
    .select({
      ticketId: chatConversations.ticketId,
      visitorId: chatConversations.visitorId,
      customerId: chatConversations.customerId,
      lastSeq: chatConversations.lastSeq,
      visitorReadSeq: chatConversations.visitorReadSeq,
      agentReadSeq: chatConversations.agentReadSeq,
    })
    .from(chatConversations)
    .innerJoin(tickets, eq(tickets.id, chatConversations.ticketId))
    .where(
      and(eq(chatConversations.ticketId, ticketId), eq(chatConversations.workspaceId, actor.workspaceId)),
    );
  if (!row) throw notFound('Chat conversation');
  const presence = await visitorPresence(db, actor.workspaceId, row.customerId, row.visitorId);
  return { ...row, ...presence };
}

// A node that died never counted its sockets down: a count is believed only while it is this fresh.
export const ONLINE_FRESH_SECONDS = 90;

async function visitorPresence(db: Db, workspaceId: string, customerId: string, visitorId: string) {
  const rows = await db
    .select({
      online: sql<boolean>`${chatVisitors.connections} > 0 AND ${chatVisitors.seenAt} > now() - make_interval(secs => ${ONLINE_FRESH_SECONDS})`,
      pageUrl: chatVisitors.pageUrl,
      pageTitle: chatVisitors.pageTitle,
      seenAt: chatVisitors.seenAt,
    })
    .from(chatVisitors)
    .where(
      and(
        eq(chatVisitors.workspaceId, workspaceId),
        sql`(${chatVisitors.customerId} = ${customerId} OR ${chatVisitors.visitorId} = ${visitorId})`,
      ),
    )
    .orderBy(sql`${chatVisitors.seenAt} DESC`)
    .limit(10);
  const online = rows.find((r) => r.online);
  const latest = online ?? rows[0];
  return {
    online: Boolean(online),
    pageUrl: latest?.pageUrl ?? null,
    pageTitle: latest?.pageTitle ?? null,
    lastSeenAt: latest?.seenAt.toISOString() ?? null,
  };
}

/**
 * Whether an agent's reply on this chat ticket should also go by email: the visitor is not connected
 * anywhere (they would read it in the widget). The email handler asks this inside the relay.
 */
export async function chatReplyGoesByEmail(tx: Db, workspaceId: string, ticketId: string): Promise<boolean> {
  const [row] = await tx
    .select({ customerId: chatConversations.customerId, visitorId: chatConversations.visitorId })
    .from(chatConversations)
    .where(and(eq(chatConversations.ticketId, ticketId), eq(chatConversations.workspaceId, workspaceId)));
  if (!row) return true;
  return !(await visitorPresence(tx, workspaceId, row.customerId, row.visitorId)).online;
}
