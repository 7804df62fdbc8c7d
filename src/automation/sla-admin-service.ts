import { and, asc, eq, isNotNull, isNull, lte } from 'drizzle-orm';
import {
  businessSchedules,
  type SlaConditions,
  slaPolicies,
  ticketSlas,
  tickets,
} from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { conflict, forbidden, invalid, notFound } from '../platform/errors.ts';
import { isValidTimeZone, type WeeklyHours } from './business-time.ts';
import { describeClock } from './sla-clock.ts';
import { activePolicies } from './sla-engine.ts';

export type Schedule = typeof businessSchedules.$inferSelect;
export type Policy = typeof slaPolicies.$inferSelect;
export type ScheduleInput = {
  name: string;
  timeZone: string;
  hours: WeeklyHours[];
  holidays?: string[] | undefined;
};
export type PolicyInput = {
  name: string;
  position?: number | undefined;
  active?: boolean | undefined;
  scheduleId?: string | null | undefined;
  conditions?: SlaConditions | undefined;
  firstReplyMinutes?: number | null | undefined;
  nextReplyMinutes?: number | null | undefined;
  resolutionMinutes?: number | null | undefined;
  warnMinutes?: number | undefined;
  pauseWhilePending?: boolean | undefined;
};

function requireAdmin(actor: Actor) {
  if (actor.role !== 'admin') throw forbidden('Only admins manage SLAs and business hours');
}

function checkSchedule(input: Partial<ScheduleInput>) {
  if (input.timeZone !== undefined && !isValidTimeZone(input.timeZone))
    throw invalid('Unknown time zone', [{ path: 'timeZone', message: 'not an IANA time zone' }]);
  input.hours?.forEach((entry, index) => {
    if (entry.start >= entry.end)
      throw invalid('Business hours must end after they start', [
        { path: `hours.${index}`, message: 'ends before it starts' },
      ]);
  });
}

export async function listSchedules(db: Db, actor: Actor): Promise<Schedule[]> {
  requireAdmin(actor);
  return db
    .select()
    .from(businessSchedules)
    .where(eq(businessSchedules.workspaceId, actor.workspaceId))
    .orderBy(asc(businessSchedules.name));
}

export async function createSchedule(db: Db, actor: Actor, input: ScheduleInput): Promise<Schedule> {
  requireAdmin(actor);
  checkSchedule(input);
  const [row] = await db
    .insert(businessSchedules)
    .values({ ...input, workspaceId: actor.workspaceId })
    .returning();
  return row!;
}

/** Changes a calendar; clocks already running keep their due times until their ticket next changes. */
export async function updateSchedule(
  db: Db,
  actor: Actor,
  id: string,
  patch: Partial<ScheduleInput>,
): Promise<Schedule> {
  requireAdmin(actor);
  checkSchedule(patch);
  const [row] = await db
    .update(businessSchedules)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(businessSchedules.id, id), eq(businessSchedules.workspaceId, actor.workspaceId)))
    .returning();
  if (!row) throw notFound('Schedule');
  return row;
}

export async function deleteSchedule(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  const [used] = await db
    .select({ id: slaPolicies.id })
    .from(slaPolicies)
    .where(eq(slaPolicies.scheduleId, id))
    .limit(1);
  if (used) throw conflict('An SLA policy uses this schedule');
  const deleted = await db
    .delete(businessSchedules)
    .where(and(eq(businessSchedules.id, id), eq(businessSchedules.workspaceId, actor.workspaceId)))
    .returning({ id: businessSchedules.id });
  if (deleted.length === 0) throw notFound('Schedule');
}

async function checkPolicy(db: Db, actor: Actor, input: Partial<PolicyInput>) {
  if (input.scheduleId) {
    const [schedule] = await db
      .select({ id: businessSchedules.id })
      .from(businessSchedules)
      .where(
        and(eq(businessSchedules.id, input.scheduleId), eq(businessSchedules.workspaceId, actor.workspaceId)),
      );
    if (!schedule) throw invalid('No such schedule', [{ path: 'scheduleId', message: 'not found' }]);
  }
}

export async function listPolicies(db: Db, actor: Actor): Promise<Policy[]> {
  requireAdmin(actor);
  return db
    .select()
    .from(slaPolicies)
    .where(eq(slaPolicies.workspaceId, actor.workspaceId))
    .orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
}

/** Adds a policy; it applies to tickets from their next change on (creation, reply, status change). */
export async function createPolicy(db: Db, actor: Actor, input: PolicyInput): Promise<Policy> {
  requireAdmin(actor);
  await checkPolicy(db, actor, input);
  const [row] = await db
    .insert(slaPolicies)
    .values({ ...input, workspaceId: actor.workspaceId })
    .returning();
  return row!;
}

export async function updatePolicy(
  db: Db,
  actor: Actor,
  id: string,
  patch: Partial<PolicyInput>,
): Promise<Policy> {
  requireAdmin(actor);
  await checkPolicy(db, actor, patch);
  const [row] = await db
    .update(slaPolicies)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(slaPolicies.id, id), eq(slaPolicies.workspaceId, actor.workspaceId)))
    .returning();
  if (!row) throw notFound('SLA policy');
  return row;
}

export async function deletePolicy(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  const deleted = await db
    .delete(slaPolicies)
    .where(and(eq(slaPolicies.id, id), eq(slaPolicies.workspaceId, actor.workspaceId)))
    .returning({ id: slaPolicies.id });
  if (deleted.length === 0) throw notFound('SLA policy');
}

/** A ticket's SLA clocks with their state and business minutes left at `now`; any agent may read them. */
export async function ticketSlaState(db: Db, actor: Actor, ticketId: string, now: Date) {
  const [ticket] = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.id, ticketId), eq(tickets.workspaceId, actor.workspaceId)));
  if (!ticket) throw notFound('Ticket');
  const rows = await db
    .select()
    .from(ticketSlas)
    .where(eq(ticketSlas.ticketId, ticketId))
    .orderBy(asc(ticketSlas.startedAt));
  const policies = await activePolicies(db, actor.workspaceId);
  return rows.map((row) => {
    const policy = policies.find((candidate) => candidate.id === row.policyId);
    // When the console starts calling the clock close to breaching; a deleted policy's warned at 30.
    const warnAt = row.dueAt && new Date(row.dueAt.getTime() - (policy?.warnMinutes ?? 30) * 60_000);
    return { ...row, warnAt, ...describeClock(row, now, policy?.schedule ?? null) };
  });
}

/**
 * Open SLA clocks across the workspace: `breached` ones, or those due within `withinMinutes` of
 * `now` and not yet breached (`breaching_soon`), soonest first.
 */
export async function listSlaClocks(
  db: Db,
  actor: Actor,
  filter: { state: 'breached' | 'breaching_soon'; withinMinutes: number; limit: number },
  now: Date,
) {
  const open = and(eq(ticketSlas.workspaceId, actor.workspaceId), isNull(ticketSlas.completedAt));
  const where =
    filter.state === 'breached'
      ? and(open, isNotNull(ticketSlas.breachedAt))
      : and(
          open,
          isNull(ticketSlas.breachedAt),
          isNotNull(ticketSlas.dueAt),
          lte(ticketSlas.dueAt, new Date(now.getTime() + filter.withinMinutes * 60_000)),
        );
  return db
    .select({
      ticketId: ticketSlas.ticketId,
      number: tickets.number,
      subject: tickets.subject,
      metric: ticketSlas.metric,
      dueAt: ticketSlas.dueAt,
      breachedAt: ticketSlas.breachedAt,
    })
    .from(ticketSlas)
    .innerJoin(tickets, eq(tickets.id, ticketSlas.ticketId))
    .where(where)
    .orderBy(asc(ticketSlas.dueAt), asc(ticketSlas.id))
    .limit(filter.limit);
}
