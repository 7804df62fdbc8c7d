import { and, asc, desc, eq, inArray, isNotNull, lte, or, sql } from 'drizzle-orm';
import { chatReplyGoesByEmail } from '../chat/chat-service.ts';
import { customerIdentities, emailMessageIds, messages, tickets, users } from '../db/schema/index.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import { sanitizeHtml } from '../platform/html.ts';
import type { OutboxEvent } from '../platform/outbox/outbox.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import type { InboundEmailMeta } from './inbound-types.ts';
import { fromName, replyCc, replySubject, threadReferences } from './outbound-compose.ts';
import { queueOutbound, senderFor } from './outbound-queue.ts';

/**
 * Tickets whose customer reads our answers by email; phone and social answer elsewhere. Chat answers
 * go by email only while the visitor is away from the widget (checked in queueReply).
 */
const EMAILED_CHANNELS = new Set(['email', 'web', 'api', 'chat']);

// An agent's reply, or an automation's (a trigger, follow-up or macro marks it in channel_meta); never an imported one.
const emailedAuthor = or(isNotNull(messages.authorUserId), sql`${messages.channelMeta} ? 'automation'`);

type EventPayload = {
  ticket?: { channel?: string };
  message?: { id?: string; kind?: string; authorUserId?: string | null };
  messageId?: string;
};

/** The message of an event that may be an agent's public reply worth emailing, judged from the payload alone. */
function candidateOf(event: OutboxEvent): string | undefined {
  const payload = event.payload as EventPayload;
  if (!EMAILED_CHANNELS.has(payload.ticket?.channel ?? '')) return undefined;
  if (event.type === 'message.created') {
    const message = payload.message;
    // Authorless replies may be automations' (checked against the row in queueAll).
    return message?.kind === 'public_reply' ? message.id : undefined;
  }
  // A ticket an agent opens towards a customer starts with a public reply (the payload does not say
  // which kind its first message is, so the database decides).
  return event.type === 'ticket.created' ? payload.messageId : undefined;
}

/** Whether the customer wrote on the ticket before this message, on any channel. */
async function customerWrote(tx: Db, message: { ticketId: string; createdAt: Date }) {
  const [row] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.ticketId, message.ticketId),
        eq(messages.kind, 'customer_message'),
        lte(messages.createdAt, message.createdAt),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * Queues the email of every agent's public reply on an email, web or API ticket whose customer has an
 * email address (dedupe key `reply:<messageId>`, so a replayed event queues nothing twice). Database work
 * only, in the relay's transaction; the sending worker does the SMTP part.
 */
export function outboundReplies(config: Pick<Config, 'RAPPORT_PUBLIC_URL'>): OutboxHandler {
  async function queueAll(tx: Db, events: OutboxEvent[]) {
    const wanted = events.flatMap((event) => {
      const messageId = candidateOf(event);
      return messageId ? [{ workspaceId: event.workspaceId, messageId }] : [];
    });
    if (wanted.length === 0) return;
    // One read for the whole batch finds which of them are agents' public replies.
    const replies = await tx
      .select({ id: messages.id, workspaceId: messages.workspaceId })
      .from(messages)
      .where(
        and(
          inArray(
            messages.id,
            wanted.map((w) => w.messageId),
          ),
          eq(messages.kind, 'public_reply'),
          emailedAuthor,
        ),
      );
    const found = new Set(replies.map((r) => `${r.workspaceId}/${r.id}`));
    for (const { workspaceId, messageId } of wanted)
      if (found.has(`${workspaceId}/${messageId}`)) await queueReply(tx, config, workspaceId, messageId);
  }
  return {
    name: 'email-replies',
    handles: (type) => type === 'message.created' || type === 'ticket.created',
    handle: (tx, event) => queueAll(tx, [event]),
    handleBatch: queueAll,
  };
}

/**
 * Builds and queues the email of one public reply: threaded on the ticket's Message-IDs, to the address
 * the customer last wrote from (or their first one), from the support address they wrote to.
 */
export async function queueReply(
  tx: Db,
  config: Pick<Config, 'RAPPORT_PUBLIC_URL'>,
  workspaceId: string,
  messageId: string,
): Promise<string | undefined> {
  const [row] = await tx
    .select({ message: messages, ticket: tickets, agentName: users.name })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .where(and(eq(messages.id, messageId), eq(messages.workspaceId, workspaceId)));
  const byAutomation = row?.message.channelMeta.automation !== undefined;
  if (row?.message.kind !== 'public_reply' || !(row.message.authorUserId || byAutomation)) return undefined;
  const { message, ticket } = row;
  if (!EMAILED_CHANNELS.has(ticket.channel)) return undefined;
  if (ticket.channel === 'chat' && !(await chatReplyGoesByEmail(tx, workspaceId, ticket.id)))
    return undefined;

  const [inbound] = await tx
    .select({ channelMeta: messages.channelMeta })
    .from(messages)
    .where(
      and(
        eq(messages.ticketId, ticket.id),
        eq(messages.kind, 'customer_message'),
        sql`${messages.channelMeta} -> 'email' IS NOT NULL`,
        lte(messages.createdAt, message.createdAt),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1);
  const meta = inbound?.channelMeta.email as InboundEmailMeta | undefined;

  const emails = (
    await tx
      .select({ value: customerIdentities.value })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.customerId, ticket.customerId), eq(customerIdentities.kind, 'email')))
      .orderBy(asc(customerIdentities.createdAt), asc(customerIdentities.id))
  ).map((identity) => identity.value);
  const lastFrom = meta?.from.address.trim().toLowerCase();
  const to = lastFrom && emails.includes(lastFrom) ? lastFrom : emails[0];
  if (!to) return undefined;

  const sender = await senderFor(tx, config, workspaceId, meta?.recipient ?? null);
  const thread = await tx
    .select({ header: emailMessageIds.messageIdHeader, direction: emailMessageIds.direction })
    .from(emailMessageIds)
    .where(and(eq(emailMessageIds.workspaceId, workspaceId), eq(emailMessageIds.ticketId, ticket.id)))
    .orderBy(asc(emailMessageIds.createdAt));
  const inReplyTo = thread.filter((entry) => entry.direction === 'inbound').pop()?.header ?? null;

  return queueOutbound(tx, {
    workspaceId,
    kind: 'reply',
    dedupeKey: `reply:${message.id}`,
    ticketId: ticket.id,
    messageId: message.id,
    fromAddress: sender.address,
    fromName: fromName(row.agentName, sender.brand),
    to: [to],
    cc: replyCc(meta?.cc ?? [], sender.ownAddresses, [to]),
    subject: replySubject(
      ticket.subject,
      ticket.number,
      thread.length === 0 && !(await customerWrote(tx, message)),
    ),
    inReplyTo,
    references: threadReferences(thread.map((entry) => entry.header)),
    bodyText: message.bodyText,
    bodyHtml: message.bodyHtml ? sanitizeHtml(message.bodyHtml) : null,
    threads: true,
  });
}
