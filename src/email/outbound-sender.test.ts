import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { type OutboundWorld, outboundWorld } from '../../test/support/outbound-email.ts';
import { type SmtpSink, startSmtpSink } from '../../test/support/smtp-sink.ts';
import { outboundEmails, outbox } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import { DELIVERY_EVENT } from './outbound-queue.ts';
import { MAX_SEND_ATTEMPTS, NO_RELAY_ERROR } from './outbound-sender.ts';

describeEachDatabase('outbound sending', (kind) => {
  let database: Database;
  const sinks: SmtpSink[] = [];

  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });
  afterAll(async () => {
    for (const sink of sinks) await sink.close();
  });

  /** A sink of the test's own, so refusals it is told to answer meet only this test's mail. */
  async function sinkFor(world: OutboundWorld) {
    const sink = await startSmtpSink();
    sinks.push(sink);
    await world.relayThrough(sink);
    return sink;
  }

  async function queuedReplies(world: OutboundWorld, count: number) {
    const ticket = await makeTicket(world.db, world.admin.actor);
    for (let i = 0; i < count; i++) await world.reply(ticket.id, { body: `Answer ${i}` });
    await world.relay.drain();
    return ticket;
  }

  // Stands in for the backoff passing, without sleeping.
  const makeDue = (world: OutboundWorld) =>
    world.db
      .update(outboundEmails)
      .set({ nextAttemptAt: sql`now() - interval '1 second'` })
      .where(eq(outboundEmails.workspaceId, world.workspace.id));

  const deliveryEvents = (world: OutboundWorld) =>
    world.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(and(eq(outbox.workspaceId, world.workspace.id), eq(outbox.type, DELIVERY_EVENT)))
      .orderBy(asc(outbox.id));

  const messageIds = (sink: SmtpSink, which: 'messages' | 'refused' = 'messages') =>
    Promise.all(sink[which].map(async (m) => (await m.parsed()).messageId));

  it('retries after a temporary refusal and then sends once, with the same Message-ID', async () => {
    const world = await outboundWorld(database);
    const sink = await sinkFor(world);
    sink.refuseNext(1, { code: 451, text: 'Try again later' });
    const ticket = await queuedReplies(world, 1);
    expect(await world.sender.runDue()).toBe(1);

    const [waiting] = await world.outboundOf(ticket.id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, sentAt: null });
    expect(waiting!.lastError).toContain('451');
    expect(waiting!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 10_000);
    expect(await world.sender.runDue()).toBe(0);

    await makeDue(world);
    expect(await world.sender.runDue()).toBe(1);
    const [sent] = await world.outboundOf(ticket.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(sent!.sentAt).not.toBeNull();
    expect(await messageIds(sink)).toEqual([sent!.messageIdHeader]);
    expect(await messageIds(sink, 'refused')).toEqual([sent!.messageIdHeader]);

    await makeDue(world);
    expect(await world.sender.runDue()).toBe(0);
    expect(sink.messages).toHaveLength(1);
    const events = (await deliveryEvents(world)).map((e) => [e.payload.status, e.payload.error !== null]);
    expect(events).toEqual([
      ['queued', false],
      ['queued', true],
      ['sent', false],
    ]);
    expect((await deliveryEvents(world))[2]!.payload).toEqual({
      ticketId: ticket.id,
      messageId: sent!.messageId,
      outboundEmailId: sent!.id,
      status: 'sent',
      error: null,
    });
  });

  it('fails at once on a permanent refusal, with the reason', async () => {
    const world = await outboundWorld(database);
    const sink = await sinkFor(world);
    sink.refuseNext(1, { code: 550, text: 'No such mailbox here' });
    const ticket = await queuedReplies(world, 1);
    await world.sender.runDue();
    const [failed] = await world.outboundOf(ticket.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, sentAt: null });
    expect(failed!.lastError).toContain('550');
    expect(failed!.lastError).toContain('No such mailbox here');
    const last = (await deliveryEvents(world)).at(-1)!.payload;
    expect(last).toMatchObject({ status: 'failed', error: failed!.lastError, outboundEmailId: failed!.id });

    await makeDue(world);
    expect(await world.sender.runDue()).toBe(0);
    expect(sink.messages).toHaveLength(0);
  });

  it('gives up after the last of its retries', async () => {
    const world = await outboundWorld(database);
    const sink = await sinkFor(world);
    sink.refuseNext(1, { code: 421, text: 'Busy' });
    const ticket = await queuedReplies(world, 1);
    await world.db
      .update(outboundEmails)
      .set({ attempts: MAX_SEND_ATTEMPTS - 1 })
      .where(eq(outboundEmails.ticketId, ticket.id));
    await world.sender.runDue();
    const [failed] = await world.outboundOf(ticket.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: MAX_SEND_ATTEMPTS });
    expect(failed!.lastError).toContain('421');
  });

  it('retries when the relay cannot be reached', async () => {
    const world = await outboundWorld(database);
    const sink = await sinkFor(world);
    await sink.close();
    const ticket = await queuedReplies(world, 1);
    await world.sender.runDue();
    const [waiting] = await world.outboundOf(ticket.id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
    expect(waiting!.lastError).toMatch(/ECONNREFUSED|connect/i);
  });

  it('keeps mail queued without a relay and sends it once one is set', async () => {
    const world = await outboundWorld(database);
    const ticket = await queuedReplies(world, 1);
    await world.sender.runDue();
    await world.sender.runDue();
    const [waiting] = await world.outboundOf(ticket.id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 0, lastError: NO_RELAY_ERROR });
    // One state, one event: waiting again is no news.
    await makeDue(world);
    await world.sender.runDue();
    expect((await deliveryEvents(world)).map((e) => e.payload.error)).toEqual([null, NO_RELAY_ERROR]);

    const sink = await sinkFor(world);
    expect(await world.sender.runDue()).toBe(1);
    const [sent] = await world.outboundOf(ticket.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(sink.messages).toHaveLength(1);
  });

  it('does not send again what was sent before a worker restarted mid-way', async () => {
    const world = await outboundWorld(database);
    const sink = await sinkFor(world);
    const ticket = await queuedReplies(world, 3);
    const first = world.newSender({ batchSize: 1 });
    let stopped: Promise<void> | undefined;
    const firstSeen = new Promise<void>((resolve) =>
      sink.onMessage(() => {
        // Stopped while its first message is in flight: it records that one and claims no more.
        stopped ??= first.stop();
        resolve();
      }),
    );
    await first.start();
    await firstSeen;
    await stopped;
    const afterStop = await world.outboundOf(ticket.id);
    expect(afterStop.map((row) => row.status).sort()).toEqual(['queued', 'queued', 'sent']);

    const second = world.newSender();
    expect(await second.runDue()).toBe(2);
    expect(await world.newSender().runDue()).toBe(0);
    const rows = await world.outboundOf(ticket.id);
    expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    expect((await messageIds(sink)).sort()).toEqual(rows.map((row) => row.messageIdHeader).sort());
  });

  it('leaves a row claimed by a worker that died alone until its claim expires', async () => {
    const world = await outboundWorld(database);
    const sink = await sinkFor(world);
    const ticket = await queuedReplies(world, 1);
    await world.db
      .update(outboundEmails)
      .set({ lockedUntil: sql`now() + interval '1 hour'` })
      .where(eq(outboundEmails.ticketId, ticket.id));
    expect(await world.sender.runDue()).toBe(0);
    await world.db
      .update(outboundEmails)
      .set({ lockedUntil: sql`now() - interval '1 second'` })
      .where(eq(outboundEmails.ticketId, ticket.id));
    expect(await world.sender.runDue()).toBe(1);
    expect(sink.messages).toHaveLength(1);
  });

  it('sends each row once when two workers run at the same time', async () => {
    const world = await outboundWorld(database);
    const sink = await sinkFor(world);
    const ticket = await queuedReplies(world, 8);
    const [a, b] = await Promise.all([
      world.newSender({ batchSize: 2 }).runDue(),
      world.newSender({ batchSize: 2 }).runDue(),
    ]);
    expect(a + b).toBe(8);
    const rows = await world.outboundOf(ticket.id);
    expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    const ids = await messageIds(sink);
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(8);
  });
});
