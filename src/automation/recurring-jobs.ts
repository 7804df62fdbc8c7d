import { and, asc, eq, lte } from 'drizzle-orm';
import { recurringTickets } from '../db/schema/index.ts';
import { automationActor } from '../platform/auth/actor.ts';
import type { Deps } from '../platform/deps.ts';
import { DomainError } from '../platform/errors.ts';
import type { JobTypes } from '../platform/queue/queue.ts';
import { nextOccurrence } from './recurring-rule.ts';
import { openOccurrence, queueOccurrence, RECURRING_JOB, RECURRING_SCAN_JOB } from './recurring-service.ts';

export const RECURRING_SCAN_CRON = '*/10 * * * *';
// The occurrence's own job normally opens it on time; the scan takes only what that job left behind.
const SCAN_GRACE_MS = 5 * 60_000;
const SCAN_BATCH = 100;

export type OccurrenceOutcome = 'opened' | 'failed' | 'stale' | 'early';

/**
 * Opens the occurrence a job names, exactly once however often the job runs and on however many nodes:
 * under the row's lock it checks the row still plans that occurrence, moves the plan on to the first
 * occurrence after now (a week offline opens one ticket, not seven), queues that one's job and opens
 * the ticket, all in one transaction. A template the workspace no longer accepts (a field made
 * required since) opens nothing and leaves its reason in `lastError`; the schedule carries on.
 */
export async function openDueOccurrence(
  deps: Pick<Deps, 'db' | 'clock' | 'queue' | 'logger'>,
  job: JobTypes['recurring.open'],
): Promise<OccurrenceOutcome> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(recurringTickets)
      .where(
        and(
          eq(recurringTickets.id, job.recurringTicketId),
          eq(recurringTickets.workspaceId, job.workspaceId),
        ),
      )
      .for('update');
    // Deleted, paused, rescheduled or already opened by another run of this job.
    if (!row?.active || row.nextRunAt.toISOString() !== job.runAt) return 'stale';
    if (now < row.nextRunAt) {
      // Early by our clock (pg-boss goes by the database's): look again when it is due.
      await deps.queue.send(RECURRING_JOB, job, { tx, startAfter: row.nextRunAt });
      return 'early';
    }
    const occurrence = row.nextRunAt;
    let lastError: string | null = null;
    try {
      // A savepoint: a refused ticket must not undo the claim below.
      await tx.transaction((savepoint) =>
        openOccurrence(savepoint, automationActor(row.workspaceId), row, occurrence),
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      lastError = error.message;
      deps.logger.warn({ err: error, recurringTicketId: row.id }, 'recurring ticket opened no ticket');
    }
    const [claimed] = await tx
      .update(recurringTickets)
      .set({ nextRunAt: nextOccurrence(row.rule, now), lastRunAt: occurrence, lastError, updatedAt: now })
      .where(eq(recurringTickets.id, row.id))
      .returning();
    await queueOccurrence(tx, deps.queue, claimed!);
    return lastError ? 'failed' : 'opened';
  });
}

/**
 * Opens occurrences overdue by more than a few minutes, whose job went missing (failed for good, or
 * a row written without one). Resolves to how many it opened.
 */
export async function scanOverdueOccurrences(
  deps: Pick<Deps, 'db' | 'clock' | 'queue' | 'logger'>,
  job: JobTypes['recurring.scan'] = {},
): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - SCAN_GRACE_MS);
  const due = await deps.db
    .select({
      id: recurringTickets.id,
      workspaceId: recurringTickets.workspaceId,
      at: recurringTickets.nextRunAt,
    })
    .from(recurringTickets)
    .where(
      and(
        eq(recurringTickets.active, true),
        lte(recurringTickets.nextRunAt, cutoff),
        job.workspaceId ? eq(recurringTickets.workspaceId, job.workspaceId) : undefined,
      ),
    )
    .orderBy(asc(recurringTickets.nextRunAt))
    .limit(SCAN_BATCH);
  let opened = 0;
  for (const row of due) {
    const payload = { workspaceId: row.workspaceId, recurringTicketId: row.id, runAt: row.at.toISOString() };
    if ((await openDueOccurrence(deps, payload)) === 'opened') opened++;
  }
  return opened;
}

/** Worker-role registration: the occurrence jobs, and the scan on the durable queue's cron. */
export async function startRecurringTicketJobs(deps: Deps): Promise<void> {
  await deps.queue.declare([RECURRING_JOB, RECURRING_SCAN_JOB]);
  await deps.queue.work(RECURRING_JOB, async (job) => {
    await openDueOccurrence(deps, job);
  });
  await deps.queue.work(RECURRING_SCAN_JOB, async (job) => {
    await scanOverdueOccurrences(deps, job);
  });
  await deps.queue.schedule(RECURRING_SCAN_JOB, RECURRING_SCAN_CRON, {});
}
