import { and, asc, eq } from 'drizzle-orm';
import { emailNotificationPrefs, outboundEmails, tickets, users } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, notify } from '../platform/db/database.ts';
import { forbidden, invalidState, notFound } from '../platform/errors.ts';
import { OUTBOUND_CHANNEL, type OutboundRow, recordDeliveryEvent, senderFor } from './outbound-queue.ts';
import { type RelayDeps, relayFor } from './outbound-relay.ts';
import { NO_RELAY_ERROR } from './outbound-sender.ts';
import { sendThroughRelay } from './outbound-transport.ts';

/** Every email sent or to be sent about the ticket (replies and agents' notifications), oldest first. */
export async function listTicketDeliveries(db: Db, actor: Actor, ticketId: string): Promise<OutboundRow[]> {
  const [ticket] = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.id, ticketId), eq(tickets.workspaceId, actor.workspaceId)));
  if (!ticket) throw notFound('Ticket');
  return db
    .select()
    .from(outboundEmails)
    .where(and(eq(outboundEmails.ticketId, ticketId), eq(outboundEmails.workspaceId, actor.workspaceId)))
    .orderBy(asc(outboundEmails.createdAt), asc(outboundEmails.id));
}

/**
 * Queues a failed email again with a fresh set of retries and the same Message-ID. Admins only; throws
 * invalid_state unless it failed.
 */
export async function retryDelivery(db: Db, actor: Actor, id: string, now: Date): Promise<OutboundRow> {
  if (actor.role !== 'admin') throw forbidden('Only admins retry failed emails');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(outboundEmails)
      .where(and(eq(outboundEmails.id, id), eq(outboundEmails.workspaceId, actor.workspaceId)))
      .for('update');
    if (!row) throw notFound('Outbound email');
    if (row.status !== 'failed')
      throw invalidState(`Only a failed email can be retried; this one is ${row.status}`);
    const [queued] = await tx
      .update(outboundEmails)
      .set({ status: 'queued', attempts: 0, nextAttemptAt: now, lockedUntil: null, lastError: null })
      .where(eq(outboundEmails.id, id))
      .returning();
    await recordDeliveryEvent(tx, queued!);
    await notify(tx, OUTBOUND_CHANNEL, '');
    return queued!;
  });
}

export type NotificationPrefs = { ticketAssigned: boolean; customerReplied: boolean; weeklySummary: boolean };
const prefColumns = {
  ticketAssigned: emailNotificationPrefs.ticketAssigned,
  customerReplied: emailNotificationPrefs.customerReplied,
  weeklySummary: emailNotificationPrefs.weeklySummary,
};

/**
 * The signed-in user's email notification choices in this workspace: ticket mail off until they choose,
 * the weekly summary (sent to admins only) on.
 */
export async function getNotificationPrefs(db: Db, actor: Actor): Promise<NotificationPrefs> {
  const [row] = await db
    .select(prefColumns)
    .from(emailNotificationPrefs)
    .where(
      and(
        eq(emailNotificationPrefs.workspaceId, actor.workspaceId),
        eq(emailNotificationPrefs.userId, actor.userId),
      ),
    );
  return row ?? { ticketAssigned: false, customerReplied: false, weeklySummary: true };
}

export async function setNotificationPrefs(
  db: Db,
  actor: Actor,
  prefs: Omit<NotificationPrefs, 'weeklySummary'> & { weeklySummary?: boolean | undefined },
): Promise<NotificationPrefs> {
  // A client that predates the weekly summary leaves it as it was.
  const { weeklySummary, ...rest } = prefs;
  const set = weeklySummary === undefined ? rest : { ...rest, weeklySummary };
  const [row] = await db
    .insert(emailNotificationPrefs)
    .values({ workspaceId: actor.workspaceId, userId: actor.userId, ...set })
    .onConflictDoUpdate({ target: [emailNotificationPrefs.workspaceId, emailNotificationPrefs.userId], set })
    .returning(prefColumns);
  return row!;
}

export type RelayTestResult = { ok: boolean; error: string | null; source: 'workspace' | 'environment' };

/**
 * Sends a short message to the admin through the relay the workspace's mail would use now, and reports
 * the relay's answer. Throws invalid_state when there is no relay.
 */
export async function testRelay(deps: RelayDeps, actor: Actor): Promise<RelayTestResult> {
  if (actor.role !== 'admin') throw forbidden('Only admins configure the outbound relay');
  const relay = await relayFor(deps, actor.workspaceId);
  if (!relay) throw invalidState(NO_RELAY_ERROR);
  const [user] = await deps.db.select({ email: users.email }).from(users).where(eq(users.id, actor.userId));
  if (!user) throw notFound('User');
  const sender = await senderFor(deps.db, deps.config, actor.workspaceId, null);
  const outcome = await sendThroughRelay(
    relay,
    {
      from: { name: sender.brand, address: sender.address },
      to: user.email,
      subject: 'Rapport relay test',
      text: `This message came through the outbound relay: email from ${sender.address} goes out.\n`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    },
    { allowPrivate: deps.config.RAPPORT_ALLOW_PRIVATE_TARGETS },
  );
  return { ok: outcome.ok, error: outcome.ok ? null : outcome.error, source: relay.source };
}
