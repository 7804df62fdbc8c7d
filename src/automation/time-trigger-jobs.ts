import { and, arrayContains, asc, eq, gt, inArray } from 'drizzle-orm';
import { tickets, triggers, triggerTimeFirings } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import { neededFacts } from './trigger-conditions.ts';
import { activeTriggers, runTriggers } from './trigger-engine.ts';
import { ageFacts } from './trigger-facts.ts';
import { conditionsHold, factsOf, type TriggerRule } from './trigger-rules.ts';

declare module '../platform/queue/queue.ts' {
  interface JobTypes {
    /** Offers open tickets to `time.elapsed` triggers: one workspace's, or every workspace's without one. */
    'triggers.time_scan': { workspaceId?: string };
  }
}

const TIME_EVENT = 'time.elapsed';
// Tickets still being worked on; solved and closed tickets wait for nobody.
const waiting = ['new', 'open', 'pending', 'on_hold'] as const;
const PAGE = 200;
/** Every five minutes: "pending for 3 days" does not need the minute. */
export const TIME_SCAN_CRON = '*/5 * * * *';

async function workspacesWithTimeTriggers(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ workspaceId: triggers.workspaceId })
    .from(triggers)
    .where(and(eq(triggers.active, true), arrayContains(triggers.events, [TIME_EVENT])));
  return rows.map((row) => row.workspaceId);
}

/**
 * One ticket in its own transaction, locked so two scans (two worker nodes, a retried job) take
 * turns: rules that already fired on it are left out, and the ones that fire now are remembered.
 */
async function offerTicket(db: Db, workspaceId: string, ticketId: string, rules: TriggerRule[], now: Date) {
  return db.transaction(async (tx) => {
    const [ticket] = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, ticketId), eq(tickets.workspaceId, workspaceId)))
      .for('update');
    if (!ticket || !(waiting as readonly string[]).includes(ticket.status)) return 0;
    const done = await tx
      .select({ triggerId: triggerTimeFirings.triggerId })
      .from(triggerTimeFirings)
      .where(eq(triggerTimeFirings.ticketId, ticketId));
    const spent = new Set(done.map((row) => row.triggerId));
    const open = rules.filter((rule) => !spent.has(rule.id));
    if (open.length === 0) return 0;
    const fired = await runTriggers(tx, {
      workspaceId,
      ticketId,
      facts: timeFacts(ticket, now),
      rules: open,
      now,
    });
    if (fired.length > 0)
      await tx
        .insert(triggerTimeFirings)
        .values(fired.map((rule) => ({ triggerId: rule.id, ticketId, workspaceId, firedAt: now })))
        .onConflictDoNothing();
    return fired.length;
  });
}

const timeFacts = (ticket: typeof tickets.$inferSelect, now: Date) => ({
  ...factsOf(ticket, TIME_EVENT, null),
  customFields: ticket.customFields,
  ...ageFacts(now, ticket),
});

/**
 * The tickets of a page some not yet fired rule may match, so that most open tickets cost no
 * transaction of their own. Rules on the customer or business hours cannot be judged from the row:
 * their tickets are always offered.
 */
async function worthOffering(db: Db, page: (typeof tickets.$inferSelect)[], rules: TriggerRule[], now: Date) {
  if (page.length === 0) return [];
  const fired = await db
    .select({ ticketId: triggerTimeFirings.ticketId, triggerId: triggerTimeFirings.triggerId })
    .from(triggerTimeFirings)
    .where(
      inArray(
        triggerTimeFirings.ticketId,
        page.map((ticket) => ticket.id),
      ),
    );
  const spent = new Set(fired.map((row) => `${row.ticketId}:${row.triggerId}`));
  return page.filter((ticket) => {
    const facts = timeFacts(ticket, now);
    return rules.some((rule) => {
      if (spent.has(`${ticket.id}:${rule.id}`)) return false;
      const need = neededFacts([rule.conditions]);
      return need.customer || need.businessHours || conditionsHold(rule.conditions, facts);
    });
  });
}

/**
 * Runs time-based triggers ("pending for 3 days") over the open tickets of one workspace or all of
 * them, each trigger firing at most once per ticket ever (the time firings table). Jobs run at least
 * once: a repeated scan finds the firings and does nothing again. Resolves to how many firings it made.
 */
export async function runTimeTriggerScan(
  deps: Pick<Deps, 'db' | 'clock'>,
  job: { workspaceId?: string | undefined } = {},
): Promise<number> {
  const now = deps.clock.now();
  const workspaceIds = job.workspaceId ? [job.workspaceId] : await workspacesWithTimeTriggers(deps.db);
  let firings = 0;
  for (const workspaceId of workspaceIds) {
    const rules = await activeTriggers(deps.db, workspaceId, TIME_EVENT);
    if (rules.length === 0) continue;
    // Paged by id, so tickets changed by this very scan are neither skipped nor offered twice.
    for (let after = ''; ; ) {
      const page = await deps.db
        .select()
        .from(tickets)
        .where(
          and(
            eq(tickets.workspaceId, workspaceId),
            inArray(tickets.status, [...waiting]),
            after ? gt(tickets.id, after) : undefined,
          ),
        )
        .orderBy(asc(tickets.id))
        .limit(PAGE);
      for (const ticket of await worthOffering(deps.db, page, rules, now))
        firings += await offerTicket(deps.db, workspaceId, ticket.id, rules, now);
      if (page.length < PAGE) break;
      after = page.at(-1)!.id;
    }
  }
  return firings;
}

/** Worker-role registration: the scan runs on the durable queue's cron, once across all nodes. */
export async function startTimeTriggerJobs(deps: Deps): Promise<void> {
  await deps.queue.work('triggers.time_scan', async (job) => {
    await runTimeTriggerScan(deps, job);
  });
  await deps.queue.schedule('triggers.time_scan', TIME_SCAN_CRON, {});
}
