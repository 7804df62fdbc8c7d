import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { chatConversations, chatMessages, messages, tickets, users } from '../db/schema/index.ts';
import type { Attachment } from '../db/schema/tickets.ts';
import type { Db } from '../platform/db/database.ts';

/** One message as the widget shows it. */
export type ChatMessage = {
  conversationId: string;
  seq: number;
  id: string;
  sender: 'visitor' | 'agent';
  text: string;
  attachments: { name: string; contentType: string; size: number; url: string | null }[];
  author: string | null;
  clientId: string | null;
  createdAt: string;
  /** Set on the answer bot's messages: an `offer` gets "Did this answer your question?" buttons. */
  bot?: { kind: string; attemptId: string };
};

export type ConversationSummary = {
  id: string;
  number: number;
  status: string;
  lastSeq: number;
  visitorReadSeq: number;
  agentReadSeq: number;
  createdAt: string;
};

export const HISTORY_PAGE = 200;

/** A message's files as the chat shows them (storage keys stay on the server). */
export const chatAttachments = (list: Attachment[]): ChatMessage['attachments'] =>
  list.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, url: a.url ?? null }));

/** Messages of one conversation after `afterSeq`, oldest first, at most HISTORY_PAGE of them. */
export async function messagesAfter(
  db: Db,
  workspaceId: string,
  ticketId: string,
  afterSeq: number,
): Promise<ChatMessage[]> {
  const rows = await db
    .select({
      seq: chatMessages.seq,
      sender: chatMessages.sender,
      clientId: chatMessages.clientMessageId,
      id: messages.id,
      text: messages.bodyText,
      attachments: messages.attachments,
      author: users.name,
      createdAt: messages.createdAt,
      bot: sql<{ kind: string; attemptId: string } | null>`${messages.channelMeta} -> 'bot'`,
    })
    .from(chatMessages)
    .innerJoin(messages, eq(messages.id, chatMessages.messageId))
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .where(
      and(
        eq(chatMessages.ticketId, ticketId),
        eq(chatMessages.workspaceId, workspaceId),
        gt(chatMessages.seq, afterSeq),
      ),
    )
    .orderBy(asc(chatMessages.seq))
    .limit(HISTORY_PAGE);
  return rows.map((row) => ({
    conversationId: ticketId,
    seq: row.seq,
    id: row.id,
    sender: row.sender,
    text: row.text,
    attachments: chatAttachments(row.attachments),
    // Agents show by first name only: the visitor needs a person, not the staff directory.
    author: row.author ? (row.author.split(' ')[0] ?? row.author) : null,
    clientId: row.clientId,
    createdAt: row.createdAt.toISOString(),
    ...(row.bot && { bot: { kind: row.bot.kind, attemptId: row.bot.attemptId } }),
  }));
}

/** The conversations a visitor may see: those this visitor started, or the verified customer's. */
export async function conversationsOf(
  db: Db,
  workspaceId: string,
  owner: { visitorId: string; customerId: string | null },
): Promise<ConversationSummary[]> {
  const mine = owner.customerId
    ? sql`(${chatConversations.visitorId} = ${owner.visitorId} OR ${chatConversations.customerId} = ${owner.customerId})`
    : eq(chatConversations.visitorId, owner.visitorId);
  const rows = await db
    .select({
      id: chatConversations.ticketId,
      number: tickets.number,
      status: tickets.status,
      lastSeq: chatConversations.lastSeq,
      visitorReadSeq: chatConversations.visitorReadSeq,
      agentReadSeq: chatConversations.agentReadSeq,
      createdAt: chatConversations.createdAt,
    })
    .from(chatConversations)
    .innerJoin(tickets, eq(tickets.id, chatConversations.ticketId))
    .where(and(eq(chatConversations.workspaceId, workspaceId), mine))
    .orderBy(sql`${chatConversations.createdAt} DESC`)
    .limit(20);
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}
