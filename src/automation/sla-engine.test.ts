import { and, eq, like } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { customers, outbox, ticketSlas } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { createLogger } from '../platform/logger.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { createInlineQueue } from '../platform/queue/inline-queue.ts';
import { addMessage } from '../tickets/message-service.ts';
import { updateTicket } from '../tickets/ticket-service.ts';
import { createPolicy, createSchedule } from './sla-admin-service.ts';
import { slaEngine } from './sla-engine.ts';
import { runSlaCheck } from './sla-jobs.ts';

const MINUTE = 60_000;

describeEachDatabase('SLA engine', (kind: DatabaseKind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  async function world() {
    const { workspace, admin } = await makeWorkspace(database.db);
    const agent = await makeUser(database.db, workspace.id, 'agent');
    const clock = fixedClock(new Date());
    const queue = createInlineQueue(clock);
    const deps = { db: database.db, clock, queue };
    await queue.work('sla.check', (job) => runSlaCheck(deps, job));
    const relay = createOutboxRelay({
      database,
      handlers: [slaEngine(queue)],
      logger: createLogger('silent'),
      workspaceId: workspace.id,
    });
    const clocks = async (ticketId: string) =>
      Object.fromEntries(
        (await database.db.select().from(ticketSlas).where(eq(ticketSlas.ticketId, ticketId))).map((row) => [
          row.metric,
          row,
        ]),
      );
    const slaEvents = async () =>
      (
        await database.db
          .select({ type: outbox.type, payload: outbox.payload })
          .from(outbox)
          .where(and(eq(outbox.workspaceId, workspace.id), like(outbox.type, 'sla.%')))
          .orderBy(outbox.id)
      ).map((event) => ({ type: event.type, metric: (event.payload.sla as { metric: string }).metric }));
    return { workspace, admin, agent, clock, queue, relay, clocks, slaEvents, deps };
  }

  it('starts first-reply and resolution clocks, warns, then breaches once', async () => {
    const w = await world();
    await createPolicy(database.db, w.admin.actor, {
      name: 'Urgent',
      conditions: { priorities: ['urgent'] },
      firstReplyMinutes: 60,
      resolutionMinutes: 480,
      warnMinutes: 15,
    });
    const ticket = await makeTicket(database.db, w.agent.actor, { priority: 'urgent' });
    await w.relay.drain();
    const { first_reply: first, resolution } = await w.clocks(ticket.id);
    expect(first!.dueAt!.getTime() - first!.startedAt.getTime()).toBe(60 * MINUTE);
    expect(resolution!.dueAt!.getTime() - resolution!.startedAt.getTime()).toBe(480 * MINUTE);
    expect(w.queue.pending()).toHaveLength(4);

    w.clock.set(new Date(first!.dueAt!.getTime() - 15 * MINUTE));
    await w.queue.runDue();
    expect(await w.slaEvents()).toEqual([{ type: 'sla.warning', metric: 'first_reply' }]);
    w.clock.set(new Date(first!.dueAt!.getTime() + MINUTE));
    await w.queue.runDue();
    expect(await w.slaEvents()).toEqual([
      { type: 'sla.warning', metric: 'first_reply' },
      { type: 'sla.breached', metric: 'first_reply' },
    ]);
    // The same job again (at least once delivery) finds the clock already breached.
    await runSlaCheck(w.deps, {
      workspaceId: w.workspace.id,
      ticketSlaId: first!.id,
      kind: 'breach',
      dueAt: first!.dueAt!.toISOString(),
    });
    expect(await w.slaEvents()).toHaveLength(2);
    expect((await w.clocks(ticket.id)).first_reply!.breachedAt).toEqual(w.clock.now());
  });

  it("applies a tier policy to a VIP customer's tickets only, before the general one", async () => {
    const w = await world();
    await createPolicy(database.db, w.admin.actor, {
      name: 'VIP',
      position: 0,
      conditions: { tiers: ['vip'] },
      firstReplyMinutes: 30,
    });
    await createPolicy(database.db, w.admin.actor, { name: 'Everyone', position: 1, firstReplyMinutes: 240 });
    const vip = await makeTicket(database.db, w.agent.actor, { customer: { email: 'vip@example.test' } });
    await database.db.update(customers).set({ tier: 'vip' }).where(eq(customers.id, vip.customerId));
    const vipAgain = await makeTicket(database.db, w.agent.actor, {
      customer: { email: 'vip@example.test' },
    });
    const plain = await makeTicket(database.db, w.agent.actor, { customer: { email: 'plain@example.test' } });
    await w.relay.drain();
    const target = async (id: string) => (await w.clocks(id)).first_reply?.targetMinutes;
    expect(await target(vipAgain.id)).toBe(30);
    expect(await target(plain.id)).toBe(240);
  });

  it('stops the first-reply clock on an agent reply, so its breach check finds nothing to do', async () => {
    const w = await world();
    await createPolicy(database.db, w.admin.actor, {
      name: 'All',
      firstReplyMinutes: 30,
      nextReplyMinutes: 45,
    });
    const ticket = await makeTicket(database.db, w.agent.actor);
    await w.relay.drain();
    await addMessage(database.db, w.agent.actor, ticket.id, { kind: 'public_reply', body: 'On its way' });
    await w.relay.drain();
    const { first_reply: first, next_reply: next } = await w.clocks(ticket.id);
    expect(first!.completedAt).not.toBeNull();
    expect(next).toBeUndefined();

    w.clock.set(new Date(first!.startedAt.getTime() + 31 * MINUTE));
    await w.queue.runDue();
    expect(await w.slaEvents()).toEqual([]);

    // The customer writes again: the next-reply clock starts.
    await addMessage(database.db, { ...w.agent.actor, role: 'system', userId: null }, ticket.id, {
      kind: 'customer_message',
      body: 'Thanks, any tracking number?',
    });
    await w.relay.drain();
    const restarted = (await w.clocks(ticket.id)).next_reply!;
    expect(restarted.dueAt!.getTime() - restarted.startedAt.getTime()).toBe(45 * MINUTE);
    expect(restarted.completedAt).toBeNull();
  });

  it('pauses while pending and resumes with the paused time added, on business hours', async () => {
    const w = await world();
    const schedule = await createSchedule(database.db, w.admin.actor, {
      name: 'Always open',
      timeZone: 'Europe/Paris',
      hours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' })),
    });
    await createPolicy(database.db, w.admin.actor, {
      name: 'Email',
      scheduleId: schedule.id,
      conditions: { channels: ['email'] },
      resolutionMinutes: 120,
      pauseWhilePending: true,
    });
    await createPolicy(database.db, w.admin.actor, {
      name: 'Chat',
      conditions: { channels: ['chat'] },
      resolutionMinutes: 5,
    });
    const ticket = await makeTicket(database.db, w.agent.actor);
    await w.relay.drain();
    const running = (await w.clocks(ticket.id)).resolution!;
    expect(running.targetMinutes).toBe(120);

    await updateTicket(database.db, w.agent.actor, ticket.id, { status: 'pending' });
    await w.relay.drain();
    const paused = (await w.clocks(ticket.id)).resolution!;
    expect(paused.dueAt).toBeNull();
    expect(paused.runningSince).toBeNull();
    // The breach check queued for the first due time finds a paused clock.
    w.clock.set(new Date(running.dueAt!.getTime() + MINUTE));
    await w.queue.runDue();
    expect(await w.slaEvents()).toEqual([]);

    await updateTicket(database.db, w.agent.actor, ticket.id, { status: 'open' });
    await w.relay.drain();
    const resumed = (await w.clocks(ticket.id)).resolution!;
    expect(resumed.elapsedSeconds).toBe(paused.elapsedSeconds);
    const left = 120 * MINUTE - paused.elapsedSeconds * 1000;
    expect(resumed.dueAt!.getTime()).toBe(resumed.runningSince!.getTime() + left);
    expect(resumed.dueAt!.getTime()).toBeGreaterThanOrEqual(running.dueAt!.getTime() - 1000);
    const checks = w.queue.pending().map((job) => job.payload as { kind: string; dueAt: string });
    expect(
      checks
        .filter((job) => job.dueAt === resumed.dueAt!.toISOString())
        .map((job) => job.kind)
        .sort(),
    ).toEqual(['breach', 'warning']);

    await updateTicket(database.db, w.agent.actor, ticket.id, { status: 'solved' });
    await w.relay.drain();
    expect((await w.clocks(ticket.id)).resolution!.completedAt).not.toBeNull();
  });
});
