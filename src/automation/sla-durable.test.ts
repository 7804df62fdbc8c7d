import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { eventually } from '../../test/support/eventually.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { outbox, ticketSlas } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import { createLogger } from '../platform/logger.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { createPgBossQueue } from '../platform/queue/pg-boss-queue.ts';
import { createPolicy } from './sla-admin-service.ts';
import { slaEngine } from './sla-engine.ts';
import { runSlaCheck } from './sla-jobs.ts';

const logger = createLogger('silent');

describeEachDatabase('SLA timers across a restart', (kind: DatabaseKind) => {
  it('queues the breach check with the ticket, keeps it over a restart and fires it once', async () => {
    const database = await sharedDatabase(kind);
    const url = process.env.TEST_DATABASE_URL;
    const { workspace, admin } = await makeWorkspace(database.db);
    await createPolicy(database.db, admin.actor, { name: 'All', firstReplyMinutes: 60, warnMinutes: 0 });

    const before = createPgBossQueue({ database, url, worker: false, logger });
    await before.start();
    await before.declare(['sla.check']);
    const ticket = await makeTicket(database.db, admin.actor);
    await createOutboxRelay({
      database,
      handlers: [slaEngine(before)],
      logger,
      workspaceId: workspace.id,
    }).drain();
    await before.stop();

    const after = createPgBossQueue({ database, url, worker: true, logger, pollingIntervalSeconds: 0.5 });
    await after.start();
    try {
      const [clock] = await database.db.select().from(ticketSlas).where(eq(ticketSlas.ticketId, ticket.id));
      const jobs = await after.list({ workspaceId: workspace.id });
      expect(jobs).toEqual([
        expect.objectContaining({
          name: 'sla.check',
          state: 'pending',
          runAt: clock!.dueAt,
          payload: expect.objectContaining({ kind: 'breach' }),
        }),
      ]);
      // An hour passes: for our clock, and for the job, which pg-boss schedules on the database's clock.
      const now = fixedClock(new Date(clock!.dueAt!.getTime() + 60_000));
      await database.db.execute(
        sql`UPDATE pgboss.job SET start_after = now() WHERE name = 'sla.check' AND data->>'workspaceId' = ${workspace.id}`,
      );
      await after.work('sla.check', (job) => runSlaCheck({ db: database.db, clock: now, queue: after }, job));
      await eventually(
        async () => (await after.list({ workspaceId: workspace.id })).length === 0,
        'the check to run',
      );
      const breaches = await database.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.workspaceId, workspace.id), eq(outbox.type, 'sla.breached')));
      expect(breaches).toHaveLength(1);
      expect(breaches[0]!.payload).toMatchObject({ ticketId: ticket.id, sla: { metric: 'first_reply' } });
    } finally {
      await after.stop();
    }
  });
});
