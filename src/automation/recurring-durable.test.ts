import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { eventually } from '../../test/support/eventually.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { recurringTickets, tickets } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import { createLogger } from '../platform/logger.ts';
import { createPgBossQueue } from '../platform/queue/pg-boss-queue.ts';
import type { JobTypes } from '../platform/queue/queue.ts';
import { openDueOccurrence } from './recurring-jobs.ts';
import { createRecurringTicket, RECURRING_JOB } from './recurring-service.ts';

const logger = createLogger('silent');

describeEachDatabase('recurring tickets across a restart', (kind: DatabaseKind) => {
  it('queues the occurrence with its rule, keeps it over a restart and opens one ticket on two nodes', async () => {
    const database = await sharedDatabase(kind);
    const url = process.env.TEST_DATABASE_URL;
    const { workspace, admin } = await makeWorkspace(database.db);

    const before = createPgBossQueue({ database, url, worker: false, logger });
    await before.start();
    await before.declare([RECURRING_JOB]);
    const recurring = await createRecurringTicket(
      database.db,
      before,
      admin.actor,
      {
        name: 'Nightly check',
        customer: { email: 'night@example.test' },
        template: { subject: 'Check the night shift', body: 'Anything odd last night?' },
        rule: { frequency: 'daily', time: '03:00', timeZone: 'Europe/Berlin' },
      },
      new Date(),
    );
    await before.stop();

    const poll = { database, url, worker: true, logger, pollingIntervalSeconds: 0.5 };
    const nodes = [createPgBossQueue(poll), createPgBossQueue(poll)];
    for (const node of nodes) await node.start();
    try {
      const [first] = nodes;
      const dueAt = recurring.nextRunAt;
      const runAt = dueAt.toISOString();
      expect(await first!.list({ workspaceId: workspace.id })).toEqual([
        expect.objectContaining({ name: RECURRING_JOB, state: 'pending', runAt: dueAt }),
      ]);
      // The night passes: for our clock, and for the job, which pg-boss schedules on the database's clock.
      const now = fixedClock(new Date(dueAt.getTime() + 60_000));
      await database.db.execute(
        sql`UPDATE pgboss.job SET start_after = now() WHERE name = ${RECURRING_JOB} AND data->>'workspaceId' = ${workspace.id}`,
      );
      for (const node of nodes) {
        const deps = { db: database.db, clock: now, queue: node, logger };
        await node.work(RECURRING_JOB, async (job) => {
          await openDueOccurrence(deps, job);
        });
      }
      const oldJobGone = async () =>
        (await first!.list({ workspaceId: workspace.id })).every(
          (job) => (job.payload as JobTypes['recurring.open']).runAt !== runAt,
        );
      await eventually(oldJobGone, 'the occurrence to open');
      // Delivered twice (at least once): the repeat finds the occurrence taken.
      const job = { workspaceId: workspace.id, recurringTicketId: recurring.id, runAt };
      await first!.send(RECURRING_JOB, job);
      await nodes[1]!.send(RECURRING_JOB, job);
      await eventually(oldJobGone, 'the repeats to run');

      const opened = await database.db.select().from(tickets).where(eq(tickets.workspaceId, workspace.id));
      expect(opened.map((t) => t.subject)).toEqual(['Check the night shift']);
      const [row] = await database.db
        .select()
        .from(recurringTickets)
        .where(eq(recurringTickets.id, recurring.id));
      expect(row).toMatchObject({ lastRunAt: dueAt, lastError: null });
      // The next night is queued, once.
      expect(await first!.list({ workspaceId: workspace.id })).toEqual([
        expect.objectContaining({ name: RECURRING_JOB, state: 'pending', runAt: row!.nextRunAt }),
      ]);
    } finally {
      for (const node of nodes) await node.stop();
    }
  });
});
