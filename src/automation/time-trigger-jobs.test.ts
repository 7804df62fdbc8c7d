import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { eventually } from '../../test/support/eventually.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { testDeps } from '../../test/support/http.ts';
import { messages, triggerTimeFirings } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { createLogger } from '../platform/logger.ts';
import { createPgBossQueue } from '../platform/queue/pg-boss-queue.ts';
import { updateTicket } from '../tickets/ticket-service.ts';
import { runTimeTriggerScan, startTimeTriggerJobs, TIME_SCAN_CRON } from './time-trigger-jobs.ts';
import { createTrigger } from './trigger-service.ts';
import { triggerWorld } from './trigger-test-world.ts';

const HOUR = 3_600_000;

describeEachDatabase('time-based triggers', (kind: DatabaseKind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  /** A workspace with "pending for 3 days: nudge the customer and tag it", one pending and one open ticket. */
  async function world() {
    const w = await triggerWorld(database);
    const rule = await createTrigger(database.db, w.admin.actor, {
      name: 'Pending for 3 days',
      events: ['time.elapsed'],
      conditions: {
        all: [
          { field: 'status', op: 'is', value: 'pending' },
          { field: 'hours_since_update', op: 'at_least', value: '72' },
        ],
      },
      actions: [
        { type: 'reply', body: 'Do you still need help with this?' },
        { type: 'add_tags', tags: ['nudged'] },
      ],
    });
    const pending = await makeTicket(database.db, w.admin.actor, { status: 'pending' });
    const open = await makeTicket(database.db, w.admin.actor);
    const clock = fixedClock(new Date());
    const scan = () => runTimeTriggerScan({ db: database.db, clock }, { workspaceId: w.workspace.id });
    const nudges = async (ticketId: string) =>
      (
        await database.db
          .select()
          .from(messages)
          .where(and(eq(messages.ticketId, ticketId), eq(messages.kind, 'public_reply')))
      ).length;
    return { ...w, rule, pending, open, clock, scan, nudges };
  }

  it('fires once the ticket has been pending for three days, and never twice for that ticket', async () => {
    const w = await world();
    w.clock.advance(71 * HOUR);
    expect(await w.scan()).toBe(0);
    w.clock.advance(2 * HOUR);
    expect(await w.scan()).toBe(1);
    expect(await w.ticketNow(w.pending.id)).toMatchObject({ tags: ['nudged'], status: 'pending' });
    expect(await w.nudges(w.pending.id)).toBe(1);
    expect(await w.ticketNow(w.open.id)).toMatchObject({ tags: [] });
    expect(await w.audit(w.pending.id)).toEqual([['Pending for 3 days']]);

    // A repeated scan, and a later one when the ticket still matches: the firing is remembered.
    expect(await w.scan()).toBe(0);
    w.clock.advance(100 * HOUR);
    expect(await w.scan()).toBe(0);
    expect(await w.nudges(w.pending.id)).toBe(1);
    // The open ticket going pending starts its own three days.
    await updateTicket(database.db, w.admin.actor, w.open.id, { status: 'pending' });
    const since = (await w.ticketNow(w.open.id)).updatedAt.getTime();
    w.clock.set(new Date(since + 71 * HOUR));
    expect(await w.scan()).toBe(0);
    w.clock.set(new Date(since + 73 * HOUR));
    expect(await w.scan()).toBe(1);
    expect(await w.nudges(w.open.id)).toBe(1);
  });

  it('fires at most once when two scans run at the same time', async () => {
    const w = await world();
    w.clock.advance(80 * HOUR);
    const [a, b] = await Promise.all([w.scan(), w.scan()]);
    expect(a + b).toBe(1);
    expect(await w.nudges(w.pending.id)).toBe(1);
    const firings = await database.db
      .select()
      .from(triggerTimeFirings)
      .where(eq(triggerTimeFirings.ticketId, w.pending.id));
    expect(firings.map((f) => f.triggerId)).toEqual([w.rule.id]);
  });

  it('lets event triggers react to what a time trigger did, without firing the time trigger again', async () => {
    const w = await world();
    await createTrigger(database.db, w.admin.actor, {
      name: 'Nudged tickets go to low priority',
      events: ['ticket.updated'],
      conditions: { all: [{ field: 'tag', op: 'is', value: 'nudged' }] },
      actions: [{ type: 'set_priority', value: 'low' }],
    });
    w.clock.advance(80 * HOUR);
    expect(await w.scan()).toBe(1);
    await w.relay.drain();
    expect(await w.ticketNow(w.pending.id)).toMatchObject({ priority: 'low', tags: ['nudged'] });
    expect(await w.audit(w.pending.id)).toEqual([
      ['Pending for 3 days'],
      ['Nudged tickets go to low priority'],
    ]);
    expect(await w.scan()).toBe(0);
  });

  it('runs as a durable job on the queue and is scheduled on its cron', async () => {
    const w = await world();
    w.clock.advance(80 * HOUR);
    const queue = createPgBossQueue({
      database,
      url: process.env.TEST_DATABASE_URL,
      worker: true,
      logger: createLogger('silent'),
      pollingIntervalSeconds: 0.5,
    });
    await queue.start();
    try {
      await startTimeTriggerJobs({ ...testDeps(database, { clock: w.clock }), queue });
      const schedules = await database.db.execute<{ cron: string }>(
        sql`SELECT cron FROM pgboss.schedule WHERE name = 'triggers.time_scan'`,
      );
      expect((schedules as unknown as { rows: { cron: string }[] }).rows.map((r) => r.cron)).toEqual([
        TIME_SCAN_CRON,
      ]);
      await queue.send('triggers.time_scan', { workspaceId: w.workspace.id });
      await eventually(async () => (await w.nudges(w.pending.id)) === 1, 'the scan job to run');
      expect((await w.ticketNow(w.pending.id)).tags).toEqual(['nudged']);
    } finally {
      await queue.unschedule('triggers.time_scan');
      await queue.stop();
    }
  });
});
