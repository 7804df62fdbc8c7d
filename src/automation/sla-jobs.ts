import { eq } from 'drizzle-orm';
import { ticketSlas, tickets } from '../db/schema/index.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Deps } from '../platform/deps.ts';
import type { JobTypes } from '../platform/queue/queue.ts';
import { logTicketEvent } from '../tickets/ticket-records.ts';
import { activePolicies } from './sla-engine.ts';

type Check = JobTypes['sla.check'];

/**
 * Runs one warning or breach check. Jobs run at least once and clocks move after they are queued, so
 * it decides from the clock's state now: a paused, finished, moved or already-flagged clock is left alone.
 */
export async function runSlaCheck(deps: Pick<Deps, 'db' | 'clock' | 'queue'>, job: Check): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(ticketSlas).where(eq(ticketSlas.id, job.ticketSlaId)).for('update');
    if (!row?.dueAt || row.completedAt || row.breachedAt || row.dueAt.toISOString() !== job.dueAt) return;
    const policy = (await activePolicies(tx, row.workspaceId)).find(
      (candidate) => candidate.id === row.policyId,
    );
    const warnMinutes = policy?.warnMinutes ?? 0;
    const fireAt = job.kind === 'breach' ? row.dueAt : new Date(row.dueAt.getTime() - warnMinutes * 60_000);
    if (job.kind === 'warning' && row.warnedAt) return;
    if (now < fireAt) {
      // Early (a clock skew between nodes): check again when it is due.
      await deps.queue.send('sla.check', job, { tx, startAfter: fireAt });
      return;
    }
    const change = job.kind === 'breach' ? { breachedAt: now } : { warnedAt: now };
    await tx
      .update(ticketSlas)
      .set({ ...change, updatedAt: now })
      .where(eq(ticketSlas.id, row.id));
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, row.ticketId));
    if (!ticket) return;
    // A line in the ticket's history and a domain event with the ticket, so triggers can act on it.
    const sla = {
      id: row.id,
      metric: row.metric,
      policyId: row.policyId,
      dueAt: job.dueAt,
      targetMinutes: row.targetMinutes,
    };
    await logTicketEvent(
      tx,
      systemActor(row.workspaceId),
      ticket,
      job.kind === 'breach' ? 'sla.breached' : 'sla.warning',
      { sla },
      {
        ticketId: row.ticketId,
        sla,
      },
    );
  });
}

/** Worker-role registration of the SLA jobs. */
export async function startSlaJobs(deps: Deps): Promise<void> {
  await deps.queue.work('sla.check', (job) => runSlaCheck(deps, job));
}
