import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { eventually } from '../../test/support/eventually.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { messages } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import { createLogger } from '../platform/logger.ts';
import { createPgBossQueue } from '../platform/queue/pg-boss-queue.ts';
import { runFollowUp } from './follow-up-jobs.ts';
import { FOLLOW_UP_JOB, scheduleFollowUp } from './follow-up-service.ts';

const logger = createLogger('silent');

describeEachDatabase('follow-ups across a restart', (kind: DatabaseKind) => {
  it('queues the follow-up with its row, keeps it over a restart and sends the message once', async () => {
    const database = await sharedDatabase(kind);
    const url = process.env.TEST_DATABASE_URL;
    const { workspace, admin } = await makeWorkspace(database.db);
    const ticket = await makeTicket(database.db, admin.actor);
    const dueAt = new Date(Date.now() + 86_400_000);

    const before = createPgBossQueue({ database, url, worker: false, logger });
    await before.start();
    await before.declare([FOLLOW_UP_JOB]);
    const followUp = await scheduleFollowUp(
      database.db,
      before,
      admin.actor,
      ticket.id,
      { kind: 'message', body: 'Checking in as promised', dueAt },
      new Date(),
    );
    await before.stop();

    const after = createPgBossQueue({ database, url, worker: true, logger, pollingIntervalSeconds: 0.5 });
    await after.start();
    try {
      const jobs = await after.list({ workspaceId: workspace.id });
      expect(jobs).toEqual([
        expect.objectContaining({ name: FOLLOW_UP_JOB, state: 'pending', runAt: dueAt }),
      ]);
      // A day passes: for our clock, and for the job, which pg-boss schedules on the database's clock.
      const now = fixedClock(new Date(dueAt.getTime() + 60_000));
      await database.db.execute(
        sql`UPDATE pgboss.job SET start_after = now() WHERE name = ${FOLLOW_UP_JOB} AND data->>'workspaceId' = ${workspace.id}`,
      );
      const deps = { db: database.db, clock: now, queue: after };
      await after.work(FOLLOW_UP_JOB, (job) => runFollowUp(deps, job));
      await eventually(
        async () => (await after.list({ workspaceId: workspace.id })).length === 0,
        'the follow-up to fire',
      );
      // Delivered twice (at least once): the second run finds it fired.
      await after.send(FOLLOW_UP_JOB, { workspaceId: workspace.id, followUpId: followUp.id });
      await eventually(
        async () => (await after.list({ workspaceId: workspace.id })).length === 0,
        'the repeat to run',
      );
      const sent = await database.db
        .select({ body: messages.bodyText })
        .from(messages)
        .where(and(eq(messages.ticketId, ticket.id), eq(messages.kind, 'public_reply')));
      expect(sent).toEqual([{ body: 'Checking in as promised' }]);
    } finally {
      await after.stop();
    }
  });
});
