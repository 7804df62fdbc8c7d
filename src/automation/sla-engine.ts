import { and, asc, eq } from 'drizzle-orm';
import { businessSchedules, customers, slaPolicies, ticketSlas, tickets } from '../db/schema/index.ts';
import { memoInBatch } from '../platform/db/batch-memo.ts';
import type { Db } from '../platform/db/database.ts';
import type { OutboxEvent } from '../platform/outbox/outbox.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import type { Queue } from '../platform/queue/queue.ts';
import type { BusinessSchedule } from './business-time.ts';
import {
  completeClock,
  isPausedStatus,
  type PolicyTargets,
  pauseClock,
  policyMatches,
  resumeClock,
  retarget,
  type SlaClock,
  type SlaMetric,
  startClock,
  type TicketFacts,
  targetOf,
} from './sla-clock.ts';

declare module '../platform/queue/queue.ts' {
  interface JobTypes {
    /** Checks one SLA clock at its warning or breach time; stale jobs find nothing to do. */
    'sla.check': { workspaceId: string; ticketSlaId: string; kind: 'warning' | 'breach'; dueAt: string };
  }
}

type Policy = PolicyTargets & { warnMinutes: number; schedule: BusinessSchedule | null };
type Row = typeof ticketSlas.$inferSelect;
type EventTicket = TicketFacts & { id: string };
type EventMessage = { kind: string; authorUserId: string | null };

const HANDLED = new Set(['ticket.created', 'ticket.updated', 'message.created']);

/** Loads the workspace's active policies in order, each with its calendar. */
export function activePolicies(tx: Db, workspaceId: string): Promise<Policy[]> {
  return memoInBatch(tx, `sla-policies:${workspaceId}`, () => activePoliciesNow(tx, workspaceId));
}

async function activePoliciesNow(tx: Db, workspaceId: string): Promise<Policy[]> {
  const rows = await tx
    .select({ policy: slaPolicies, schedule: businessSchedules })
    .from(slaPolicies)
    .leftJoin(businessSchedules, eq(businessSchedules.id, slaPolicies.scheduleId))
    .where(and(eq(slaPolicies.workspaceId, workspaceId), eq(slaPolicies.active, true)))
    .orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
  return rows.map(({ policy, schedule }) => ({
    ...policy,
    schedule: schedule
      ? { timeZone: schedule.timeZone, hours: schedule.hours, holidays: schedule.holidays }
      : null,
  }));
}

/** The clocks a ticket should have after this event, from the ones it has. */
function nextClocks(
  policy: Policy,
  ticket: EventTicket,
  clocks: Map<SlaMetric, SlaClock>,
  event: OutboxEvent,
): Map<SlaMetric, SlaClock> {
  const at = event.createdAt;
  const { schedule } = policy;
  const next = new Map(clocks);
  const put = (clock: SlaClock) => next.set(clock.metric, clock);
  const done = ticket.status === 'solved' || ticket.status === 'closed';

  if (!done) {
    for (const metric of ['first_reply', 'resolution'] as const) {
      const target = targetOf(policy, metric);
      // A clock starts with the ticket; one that never had a target starts when a policy gives it one.
      if (
        target !== null &&
        !next.has(metric) &&
        (event.type === 'ticket.created' || metric === 'resolution')
      )
        put(startClock(metric, target, at, schedule));
    }
  }
  const message = event.payload.message as EventMessage | undefined;
  if (event.type === 'message.created' && message) {
    if (message.kind === 'public_reply' && message.authorUserId) {
      for (const metric of ['first_reply', 'next_reply'] as const) {
        const clock = next.get(metric);
        if (clock) put(completeClock(clock, at, schedule));
      }
    } else if (message.kind === 'customer_message' && policy.nextReplyMinutes !== null) {
      const first = next.get('first_reply');
      const waiting = next.get('next_reply');
      // The next-reply clock starts at the customer's first unanswered message after a reply.
      if ((!first || first.completedAt) && (!waiting || waiting.completedAt))
        put(startClock('next_reply', policy.nextReplyMinutes, at, schedule));
    }
  }
  for (const clock of next.values()) {
    let moved = clock;
    const target = targetOf(policy, clock.metric);
    if (target !== null) moved = retarget(moved, target, schedule);
    if (done) moved = completeClock(moved, at, schedule);
    else if (isPausedStatus(policy, ticket.status)) moved = pauseClock(moved, at, schedule);
    else moved = resumeClock(moved, at, schedule);
    put(moved);
  }
  return next;
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

async function scheduleChecks(tx: Db, queue: Queue, row: Row, warnMinutes: number) {
  if (!row.dueAt || row.completedAt || row.breachedAt) return;
  const dueAt = row.dueAt.toISOString();
  const base = { workspaceId: row.workspaceId, ticketSlaId: row.id, dueAt };
  // Keyed by the due time: a handler run twice, or a clock that did not move, queues nothing new.
  if (!row.warnedAt && warnMinutes > 0 && warnMinutes < row.targetMinutes) {
    const warnAt = new Date(row.dueAt.getTime() - warnMinutes * 60_000);
    await queue.send(
      'sla.check',
      { ...base, kind: 'warning' },
      { tx, startAfter: warnAt, singletonKey: `${row.id}:warning:${dueAt}` },
    );
  }
  await queue.send(
    'sla.check',
    { ...base, kind: 'breach' },
    { tx, startAfter: row.dueAt, singletonKey: `${row.id}:breach:${dueAt}` },
  );
}

async function customerTier(tx: Db, workspaceId: string, ticketId: string): Promise<string | null> {
  const [row] = await tx
    .select({ tier: customers.tier })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(and(eq(tickets.id, ticketId), eq(tickets.workspaceId, workspaceId)));
  return row?.tier ?? null;
}

/**
 * Keeps each ticket's SLA clocks in step with its events: starts them from the first matching
 * policy, pauses and resumes them with the status, stops them on replies and solving, and queues the
 * warning and breach checks for every new due time.
 */
export function slaEngine(queue: Queue): OutboxHandler {
  return {
    name: 'sla',
    handles: (type) => HANDLED.has(type),
    async handle(tx, event) {
      const ticket = event.payload.ticket as EventTicket | undefined;
      if (!ticket) return;
      const policies = await activePolicies(tx, event.workspaceId);
      // Events carry the ticket, not its customer: the tier is read only when some policy asks for it.
      const facts = policies.some((candidate) => candidate.conditions.tiers?.length)
        ? { ...ticket, tier: await customerTier(tx, event.workspaceId, ticket.id) }
        : ticket;
      const policy = policies.find((candidate) => policyMatches(candidate.conditions, facts));
      if (!policy) return;
      const rows = await tx.select().from(ticketSlas).where(eq(ticketSlas.ticketId, ticket.id)).for('update');
      const before = new Map(rows.map((row) => [row.metric, row] as const));
      const after = nextClocks(policy, ticket, new Map(rows.map((row) => [row.metric, row])), event);
      for (const clock of after.values()) {
        const old = before.get(clock.metric);
        if (old && JSON.stringify(pick(old)) === JSON.stringify(pick(clock))) continue;
        const values = { ...pick(clock), policyId: policy.id, updatedAt: event.createdAt };
        const [row] = old
          ? await tx.update(ticketSlas).set(values).where(eq(ticketSlas.id, old.id)).returning()
          : await tx
              .insert(ticketSlas)
              .values({ ...values, workspaceId: event.workspaceId, ticketId: ticket.id })
              .returning();
        if (row && !sameTime(old?.dueAt ?? null, row.dueAt))
          await scheduleChecks(tx, queue, row, policy.warnMinutes);
      }
    },
  };
}

const pick = (clock: SlaClock) => ({
  metric: clock.metric,
  targetMinutes: clock.targetMinutes,
  startedAt: clock.startedAt,
  elapsedSeconds: clock.elapsedSeconds,
  runningSince: clock.runningSince,
  dueAt: clock.dueAt,
  warnedAt: clock.warnedAt,
  breachedAt: clock.breachedAt,
  completedAt: clock.completedAt,
});
