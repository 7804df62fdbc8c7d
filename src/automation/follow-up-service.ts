import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { automationSettings, type followUpKinds, followUps } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { lockTicket, logTicketEvent } from '../tickets/ticket-records.ts';

declare module '../platform/queue/queue.ts' {
  interface JobTypes {
    /** Fires one follow-up when it is due; a cancelled or already fired one is left alone. */
    'followups.fire': { workspaceId: string; followUpId: string };
  }
}

export type FollowUp = typeof followUps.$inferSelect;
export type FollowUpKind = (typeof followUpKinds)[number];
export type ScheduleInput = { kind: 'reminder' | 'message'; body: string; dueAt: Date };
export type AutomationSettings = Omit<typeof automationSettings.$inferSelect, 'workspaceId' | 'updatedAt'>;

const DAY_MS = 86_400_000;
export const FOLLOW_UP_JOB = 'followups.fire';

/**
 * Inserts a follow-up and its durable job in the caller's transaction: both exist only if it commits,
 * and the job keys on the follow-up, so it fires once however often it is queued.
 */
export async function queueFollowUp(
  tx: Db,
  queue: Queue,
  values: Pick<FollowUp, 'workspaceId' | 'ticketId' | 'kind' | 'body' | 'dueAt' | 'createdByUserId'>,
): Promise<FollowUp> {
  const [row] = await tx.insert(followUps).values(values).returning();
  await queue.send(
    FOLLOW_UP_JOB,
    { workspaceId: row!.workspaceId, followUpId: row!.id },
    { tx, startAfter: row!.dueAt, singletonKey: `follow-up:${row!.id}` },
  );
  return row!;
}

/** Cancels the ticket's follow-ups of these kinds that have not fired yet; resolves to how many. */
export async function cancelOpenFollowUps(
  tx: Db,
  workspaceId: string,
  ticketId: string,
  kinds: FollowUpKind[],
  now: Date,
): Promise<number> {
  const rows = await tx
    .update(followUps)
    .set({ cancelledAt: now })
    .where(
      and(
        eq(followUps.workspaceId, workspaceId),
        eq(followUps.ticketId, ticketId),
        inArray(followUps.kind, kinds),
        isNull(followUps.firedAt),
        isNull(followUps.cancelledAt),
      ),
    )
    .returning({ id: followUps.id });
  return rows.length;
}

/**
 * An agent schedules a reminder to themselves or a message to the customer on a ticket, with a line
 * in its history. Light agents may only remind themselves; throws notFound for another workspace's ticket.
 */
export async function scheduleFollowUp(
  db: Db,
  queue: Queue,
  actor: Actor,
  ticketId: string,
  input: ScheduleInput,
  now: Date,
): Promise<FollowUp> {
  if (actor.role === 'light' && input.kind === 'message')
    throw forbidden('Light agents cannot write to customers');
  if (input.dueAt <= now)
    throw invalid('A follow-up is due in the future', [{ path: 'dueAt', message: 'past' }]);
  return db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, actor.workspaceId, ticketId);
    if (ticket.status === 'closed' || ticket.mergedIntoId)
      throw invalidState('A closed or merged ticket takes no follow-ups');
    const row = await queueFollowUp(tx, queue, {
      workspaceId: actor.workspaceId,
      ticketId,
      kind: input.kind,
      body: input.body,
      dueAt: input.dueAt,
      createdByUserId: actor.userId,
    });
    await logTicketEvent(tx, actor, ticket, 'follow_up.scheduled', {
      followUp: { id: row.id, kind: row.kind, dueAt: row.dueAt.toISOString() },
    });
    return row;
  });
}

/** The ticket's follow-ups by due time, fired and cancelled ones included. */
export async function listFollowUps(db: Db, actor: Actor, ticketId: string): Promise<FollowUp[]> {
  await lockTicket(db, actor.workspaceId, ticketId);
  return db
    .select()
    .from(followUps)
    .where(and(eq(followUps.workspaceId, actor.workspaceId), eq(followUps.ticketId, ticketId)))
    .orderBy(asc(followUps.dueAt), asc(followUps.id));
}

/** Cancels a follow-up that has not fired; throws invalidState once it fired or was cancelled. */
export async function cancelFollowUp(db: Db, actor: Actor, ticketId: string, id: string, now: Date) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(followUps)
      .where(
        and(
          eq(followUps.id, id),
          eq(followUps.workspaceId, actor.workspaceId),
          eq(followUps.ticketId, ticketId),
        ),
      )
      .for('update');
    if (!row) throw notFound('Follow-up');
    if (row.firedAt || row.cancelledAt) throw invalidState('This follow-up already fired or was cancelled');
    if (actor.role === 'light' && row.createdByUserId !== actor.userId)
      throw forbidden('Light agents cancel only their own follow-ups');
    await tx.update(followUps).set({ cancelledAt: now }).where(eq(followUps.id, id));
    const ticket = await lockTicket(tx, actor.workspaceId, ticketId);
    await logTicketEvent(tx, actor, ticket, 'follow_up.cancelled', { followUp: { id, kind: row.kind } });
  });
}

const defaults: AutomationSettings = {
  checkInDays: null,
  checkInBody: '',
  pendingReminderDays: null,
  pendingReminderBody: '',
  pendingSolveDays: null,
};

/** The workspace's follow-up rules; all off until an admin sets them. */
export async function automationSettingsOf(db: Db, workspaceId: string): Promise<AutomationSettings> {
  const [row] = await db
    .select()
    .from(automationSettings)
    .where(eq(automationSettings.workspaceId, workspaceId));
  if (!row) return defaults;
  const { workspaceId: _, updatedAt: __, ...settings } = row;
  return settings;
}

/** Admins set the check-in after a solve and the pending reminder and automatic solve. */
export async function putAutomationSettings(
  db: Db,
  actor: Actor,
  input: AutomationSettings,
): Promise<AutomationSettings> {
  if (actor.role !== 'admin') throw forbidden('Only admins change follow-up rules');
  if (input.checkInDays !== null && !input.checkInBody.trim())
    throw invalid('A check-in needs a message', [{ path: 'checkInBody', message: 'required' }]);
  if (input.pendingReminderDays !== null && !input.pendingReminderBody.trim())
    throw invalid('A pending reminder needs a message', [
      { path: 'pendingReminderBody', message: 'required' },
    ]);
  if (
    input.pendingReminderDays !== null &&
    input.pendingSolveDays !== null &&
    input.pendingSolveDays <= input.pendingReminderDays
  )
    throw invalid('Solve after the reminder', [{ path: 'pendingSolveDays', message: 'after the reminder' }]);
  await db
    .insert(automationSettings)
    .values({ ...input, workspaceId: actor.workspaceId })
    .onConflictDoUpdate({ target: automationSettings.workspaceId, set: { ...input, updatedAt: new Date() } });
  return automationSettingsOf(db, actor.workspaceId);
}

export const daysAfter = (from: Date, days: number) => new Date(from.getTime() + days * DAY_MS);
