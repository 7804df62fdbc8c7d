import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import { customers, emailNotificationPrefs, memberships, users } from '../db/schema/index.ts';
import { type Config, publicUrl } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import type { OutboxEvent } from '../platform/outbox/outbox.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import { queueOutbound, senderFor } from './outbound-queue.ts';

type Payload = {
  ticket?: {
    id?: string;
    number?: number;
    subject?: string;
    assigneeId?: string | null;
    customerId?: string;
  };
  changes?: { assigneeId?: unknown };
  message?: { kind?: string; excerpt?: string };
  actorId?: string | null;
};

type Ticket = { id: string; number: number; subject: string; customerId: string | undefined };
type Reason = 'assigned' | 'customer_replied';
type Notice = { reason: Reason; userId: string; ticket: Ticket; actorId: string | null; excerpt: string };

/** Who an event concerns and why: the new assignee (unless they assigned themselves), or the assignee of a ticket the customer wrote on. */
function noticeOf(event: OutboxEvent): Notice | undefined {
  const payload = event.payload as Payload;
  const t = payload.ticket;
  if (!t?.id || typeof t.number !== 'number') return undefined;
  const ticket = { id: t.id, number: t.number, subject: t.subject ?? '', customerId: t.customerId };
  const actorId = payload.actorId ?? null;
  if (event.type === 'ticket.updated') {
    const change = payload.changes?.assigneeId;
    const next = Array.isArray(change) ? change[1] : undefined;
    if (typeof next !== 'string' || next === actorId) return undefined;
    return { reason: 'assigned', userId: next, ticket, actorId, excerpt: '' };
  }
  if (event.type === 'message.created' && payload.message?.kind === 'customer_message') {
    if (!t.assigneeId || t.assigneeId === actorId) return undefined;
    const excerpt = payload.message.excerpt ?? '';
    return { reason: 'customer_replied', userId: t.assigneeId, ticket, actorId, excerpt };
  }
  return undefined;
}

/**
 * Emails agents who asked for it (email_notification_prefs) when a ticket is assigned to them by someone
 * else, or when the customer writes on a ticket assigned to them. Database work only, in the relay's
 * transaction; dedupe key `notify:<eventId>:<userId>` makes a replayed event queue nothing twice.
 */
export function agentNotifications(config: Config): OutboxHandler {
  async function queueAll(tx: Db, events: OutboxEvent[]) {
    const notices = events.flatMap((event) => {
      const notice = noticeOf(event);
      return notice ? [{ event, notice }] : [];
    });
    if (notices.length === 0) return;
    // One read for the whole batch: most agents never opt in, so most events end here.
    const recipients = await optedIn(
      tx,
      notices.map(({ event }) => event.workspaceId),
      notices.map(({ notice }) => notice.userId),
    );
    for (const { event, notice } of notices) {
      const recipient = recipients.get(`${event.workspaceId}/${notice.userId}`);
      const wants = notice.reason === 'assigned' ? recipient?.ticketAssigned : recipient?.customerReplied;
      if (recipient && wants) await queueNotice(tx, config, event, notice, recipient.email);
    }
  }
  return {
    name: 'email-notifications',
    handles: (type) => type === 'ticket.updated' || type === 'message.created',
    handle: (tx, event) => queueAll(tx, [event]),
    handleBatch: queueAll,
  };
}

/** The choices of those users who chose something, by `workspaceId/userId`. */
async function optedIn(tx: Db, workspaceIds: string[], userIds: string[]) {
  // A disabled user, or one no longer a member of the workspace, gets nothing whatever they once chose.
  const rows = await tx
    .select({
      workspaceId: emailNotificationPrefs.workspaceId,
      userId: emailNotificationPrefs.userId,
      ticketAssigned: emailNotificationPrefs.ticketAssigned,
      customerReplied: emailNotificationPrefs.customerReplied,
      email: users.email,
    })
    .from(emailNotificationPrefs)
    .innerJoin(users, eq(users.id, emailNotificationPrefs.userId))
    .innerJoin(
      memberships,
      and(eq(memberships.userId, users.id), eq(memberships.workspaceId, emailNotificationPrefs.workspaceId)),
    )
    .where(
      and(
        inArray(emailNotificationPrefs.workspaceId, [...new Set(workspaceIds)]),
        inArray(emailNotificationPrefs.userId, [...new Set(userIds)]),
        or(eq(emailNotificationPrefs.ticketAssigned, true), eq(emailNotificationPrefs.customerReplied, true)),
        isNull(users.disabledAt),
      ),
    );
  return new Map(rows.map((row) => [`${row.workspaceId}/${row.userId}`, row]));
}

async function queueNotice(tx: Db, config: Config, event: OutboxEvent, notice: Notice, email: string) {
  const sender = await senderFor(tx, config, event.workspaceId, null);
  const { subject, text } = await describe(tx, config, notice);
  await queueOutbound(tx, {
    workspaceId: event.workspaceId,
    kind: 'notification',
    dedupeKey: `notify:${event.id}:${notice.userId}`,
    ticketId: notice.ticket.id,
    messageId: null,
    fromAddress: sender.address,
    fromName: sender.brand,
    to: [email],
    subject,
    bodyText: text,
    threads: false,
  });
}

async function nameOf(tx: Db, table: typeof users | typeof customers, id: string | null | undefined) {
  if (!id) return undefined;
  const [row] = await tx.select({ name: table.name }).from(table).where(eq(table.id, id));
  return row?.name.trim() || undefined;
}

/** A short text with the ticket's link; the full conversation stays in the console. */
async function describe(tx: Db, config: Config, notice: Notice) {
  const { ticket } = notice;
  const link = `${publicUrl(config)}/tickets/${ticket.id}`;
  const title = `#${ticket.number} "${ticket.subject}"`;
  if (notice.reason === 'assigned') {
    const actor = (await nameOf(tx, users, notice.actorId)) ?? 'Someone';
    return {
      subject: `[#${ticket.number}] Assigned to you: ${ticket.subject}`,
      text: `${actor} assigned ticket ${title} to you.\n\nOpen it: ${link}\n`,
    };
  }
  const customer = (await nameOf(tx, customers, ticket.customerId)) ?? 'The customer';
  const quoted = notice.excerpt.trim() ? `\n\n> ${notice.excerpt.trim().replace(/\n/g, '\n> ')}` : '';
  return {
    subject: `[#${ticket.number}] New message from ${customer}: ${ticket.subject}`,
    text: `${customer} wrote on ticket ${title}, assigned to you.${quoted}\n\nOpen it: ${link}\n`,
  };
}
