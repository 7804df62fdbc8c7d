import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testDeps } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { customers, messages, outboundEmails, outreachSends, tickets } from '../db/schema/index.ts';
import { outboundReplies } from '../email/outbound-replies.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { createInlineQueue } from '../platform/queue/inline-queue.ts';
import { recordBusinessEvent } from './event-service.ts';
import { startOutreachJobs } from './outreach-routes.ts';
import { outreachScheduler } from './outreach-send.ts';

const body =
  'Hi {{customer.first_name}}, your order {{order.number}} is running late. Here is {{coupon.code}} for the wait.';

describeEachDatabase('proactive outreach', (kind) => {
  let database: Database;
  let app: App;
  // Noon in Berlin on a winter day: outside the default quiet hours.
  const clock = fixedClock(new Date('2026-01-15T11:00:00Z'));
  const queue = createInlineQueue(clock);
  let deps: ReturnType<typeof testDeps>;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    deps = { ...testDeps(database, { clock }), queue };
    app = await buildApp(deps);
    await app.ready();
    await startOutreachJobs(deps);
  });
  afterAll(() => app.close());

  /** The relay, then every due job: what the worker role does after a business event commits. */
  async function settle(workspaceId: string) {
    const relay = createOutboxRelay({
      database,
      handlers: [outreachScheduler(deps), outboundReplies(deps.config)],
      logger: deps.logger,
      workspaceId,
    });
    await relay.drain();
    await queue.runDue();
    await relay.drain();
  }

  async function world(campaign: Record<string, unknown> = {}) {
    clock.set(new Date('2026-01-15T11:00:00Z'));
    const { workspace, admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/outreach/campaigns',
      headers,
      payload: {
        name: 'Late shipments',
        eventType: 'shipment.delayed',
        subject: 'Order {{order.number}} is running late',
        body,
        holdoutPercent: 0,
        ...campaign,
      },
    });
    expect(created.statusCode).toBe(201);
    const delayed = async (email: string, id: string, extra: { name?: string } = {}) => {
      await recordBusinessEvent(database.db, admin.actor, {
        id,
        customer: { email, name: extra.name ?? 'Ann Lee' },
        type: 'shipment.delayed',
        data: { order_number: `10${id.slice(-2)}`, carrier: 'PostNL' },
      });
      await settle(workspace.id);
    };
    const sendsOf = () =>
      database.db.select().from(outreachSends).where(eq(outreachSends.workspaceId, workspace.id));
    return { workspace, admin, headers, campaignId: created.json().id as string, delayed, sendsOf };
  }

  const customerByEmail = async (actor: Actor, email: string) =>
    (
      await app.inject({
        method: 'GET',
        url: `/api/v1/customers?q=${encodeURIComponent(email)}`,
        headers: await bearerFor(database, actor),
      })
    ).json().data[0] as { id: string };

  it('writes to the customer once per event, with the order, a unique coupon and an opt-out link', async () => {
    const { workspace, headers, campaignId, delayed, sendsOf } = await world();
    const coupons = await app.inject({
      method: 'POST',
      url: `/api/v1/outreach/campaigns/${campaignId}/coupons`,
      headers,
      payload: { codes: ['WAIT-1', 'WAIT-2', 'WAIT-1'] },
    });
    expect(coupons.json()).toEqual({ added: 2, duplicates: 1, left: 2 });

    await delayed('ann@example.test', 'evt-01');
    const [send] = await sendsOf();
    expect(send).toMatchObject({ outcome: 'sent', reason: null });
    const [ticket] = await database.db.select().from(tickets).where(eq(tickets.id, send!.ticketId!));
    expect(ticket).toMatchObject({
      channel: 'email',
      status: 'solved',
      subject: 'Order 1001 is running late',
    });
    expect(ticket!.tags).toContain('proactive');
    const [message] = await database.db.select().from(messages).where(eq(messages.ticketId, ticket!.id));
    expect(message!.kind).toBe('public_reply');
    expect(message!.bodyText).toMatch(
      /^Hi Ann, your order 1001 is running late\. Here is WAIT-[12] for the wait\./,
    );
    expect(message!.bodyText).toMatch(/http:\/\/\S+\/outreach\/opt-out\?t=\S+/);
    const [mail] = await database.db
      .select()
      .from(outboundEmails)
      .where(eq(outboundEmails.ticketId, ticket!.id));
    expect(mail).toMatchObject({
      toAddresses: ['ann@example.test'],
      subject: 'Order 1001 is running late [#1]',
    });

    // The same event again (a replay, a retried job) writes nothing more.
    await delayed('ann@example.test', 'evt-01');
    expect(await sendsOf()).toHaveLength(1);
    // Another late order within 24 hours: the customer already heard from us today.
    await delayed('ann@example.test', 'evt-02');
    expect((await sendsOf()).map((s) => s.reason).sort()).toEqual([null, 'throttled'].sort());
    // A day later the next one goes, with the next coupon; then the pool is empty.
    clock.advance(25 * 3_600_000);
    await delayed('ann@example.test', 'evt-03');
    clock.advance(25 * 3_600_000);
    await delayed('ann@example.test', 'evt-04');
    const outcomes = (await sendsOf()).map((s) => `${s.outcome}:${s.reason ?? ''}`).sort();
    expect(outcomes).toEqual(['sent:', 'sent:', 'skipped:coupons_exhausted', 'skipped:throttled']);
    // Each message took its own code.
    const codes: string[] = [];
    for (const sent of (await sendsOf()).filter((row) => row.outcome === 'sent')) {
      const [reply] = await database.db.select().from(messages).where(eq(messages.ticketId, sent.ticketId!));
      codes.push(/WAIT-\d/.exec(reply!.bodyText)![0]);
    }
    expect(codes.sort()).toEqual(['WAIT-1', 'WAIT-2']);
    const stats = await app.inject({
      method: 'GET',
      url: `/api/v1/outreach/campaigns/${campaignId}/stats`,
      headers,
    });
    expect(stats.json()).toMatchObject({
      sent: 2,
      heldOut: 0,
      skipped: { throttled: 1, coupons_exhausted: 1 },
      couponsLeft: 0,
    });
    expect(workspace.id).toBeTruthy();
  });

  it("waits for the end of quiet hours in the customer's time zone", async () => {
    const { admin, delayed, sendsOf } = await world({
      body: 'Hi {{customer.first_name}}, order {{order.number}} is late.',
    });
    // A first event makes the customer; give them Sydney's clock, where noon in Berlin is 22:00.
    await delayed('kim@example.test', 'evt-11', { name: 'Kim Park' });
    const kim = await customerByEmail(admin.actor, 'kim@example.test');
    await database.db.update(customers).set({ timeZone: 'Australia/Sydney' }).where(eq(customers.id, kim.id));
    clock.advance(25 * 3_600_000);
    await delayed('kim@example.test', 'evt-12', { name: 'Kim Park' });
    expect((await sendsOf()).filter((s) => s.eventId && s.outcome === 'sent')).toHaveLength(1);
    // 08:00 in Sydney is 21:00 UTC (summer time, UTC+11).
    clock.set(new Date('2026-01-16T20:59:00Z'));
    await queue.runDue();
    expect(await sendsOf()).toHaveLength(1);
    clock.set(new Date('2026-01-16T21:00:00Z'));
    await queue.runDue();
    expect((await sendsOf()).map((s) => s.outcome)).toEqual(['sent', 'sent']);
  });

  it('honours the opt-out link and consent, and answers a foreign token with 404', async () => {
    const { admin, delayed, sendsOf } = await world({ body: 'Order {{order.number}} is late.' });
    await delayed('lou@example.test', 'evt-21', { name: 'Lou Grant' });
    const [sent] = await database.db
      .select({ body: messages.bodyText })
      .from(messages)
      .where(eq(messages.ticketId, (await sendsOf())[0]!.ticketId!));
    const link = new URL(/http:\/\/\S+\/outreach\/opt-out\?t=\S+/.exec(sent!.body)![0]);
    const url = `${link.pathname}${link.search}`;
    const asked = await app.inject({ method: 'GET', url });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('<form method="post"');
    const lou = await customerByEmail(admin.actor, 'lou@example.test');
    // Opening the page (as a mail scanner does) changes nothing.
    const [before] = await database.db.select().from(customers).where(eq(customers.id, lou.id));
    expect(before!.consentProactive).toBe(true);
    const done = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(done.statusCode).toBe(200);
    const [after] = await database.db.select().from(customers).where(eq(customers.id, lou.id));
    expect(after!.consentProactive).toBe(false);
    clock.advance(25 * 3_600_000);
    await delayed('lou@example.test', 'evt-22', { name: 'Lou Grant' });
    expect((await sendsOf()).map((s) => s.reason)).toContain('no_consent');
    expect((await app.inject({ method: 'GET', url: '/outreach/opt-out?t=forged' })).statusCode).toBe(404);
  });

  it('keeps a control group and compares who opened a ticket within 7 days', async () => {
    const { admin, headers, campaignId, delayed, sendsOf } = await world({
      body: 'Order {{order.number}} is late.',
      holdoutPercent: 50,
    });
    for (let i = 0; i < 16; i++) await delayed(`c${i}@example.test`, `evt-3${i.toString().padStart(2, '0')}`);
    const sends = await sendsOf();
    const held = sends.filter((s) => s.outcome === 'held_out');
    const sent = sends.filter((s) => s.outcome === 'sent');
    expect(held.length + sent.length).toBe(16);
    expect(held.length).toBeGreaterThan(0);
    expect(sent.length).toBeGreaterThan(0);
    expect(held.every((s) => s.ticketId === null)).toBe(true);
    // One held-out customer writes in two days later: their own ticket counts, our messages never do.
    clock.advance(2 * 86_400_000);
    const asked = await makeTicket(database.db, admin.actor, {
      customer: { id: held[0]!.customerId },
      subject: 'Where is it?',
    });
    // Rows take the database's clock; this one happened on the test's.
    await database.db.update(tickets).set({ createdAt: clock.now() }).where(eq(tickets.id, asked.id));
    const young = (
      await app.inject({ method: 'GET', url: `/api/v1/outreach/campaigns/${campaignId}/stats`, headers })
    ).json();
    expect(young.holdout.rate).toBeNull();
    clock.advance(6 * 86_400_000);
    const stats = (
      await app.inject({ method: 'GET', url: `/api/v1/outreach/campaigns/${campaignId}/stats`, headers })
    ).json();
    expect(stats.contacted).toMatchObject({
      customers: sent.length,
      settled: sent.length,
      openedTicket: 0,
      rate: 0,
    });
    expect(stats.holdout).toMatchObject({ customers: held.length, openedTicket: 1 });
    expect(stats.holdout.rate).toBeCloseTo(1 / held.length, 3);
    expect(stats.difference).toBeCloseTo(-1 / held.length, 3);
  });

  it('writes into an open chat on the chat channel, and skips customers without one', async () => {
    const { admin, delayed, sendsOf } = await world({
      channel: 'chat',
      body: 'Order {{order.number}} is late.',
    });
    await delayed('nochat@example.test', 'evt-41');
    expect((await sendsOf()).map((s) => s.reason)).toEqual(['no_chat']);
    const chat = await makeTicket(database.db, admin.actor, {
      channel: 'chat',
      customer: { email: 'chatty@example.test', name: 'Chatty' },
    });
    await delayed('chatty@example.test', 'evt-42');
    const sent = (await sendsOf()).find((s) => s.outcome === 'sent');
    expect(sent?.ticketId).toBe(chat.id);
    const thread = await database.db
      .select({ body: messages.bodyText, kind: messages.kind })
      .from(messages)
      .where(and(eq(messages.ticketId, chat.id), eq(messages.kind, 'public_reply')));
    expect(thread[0]!.body).toContain('Order 1042 is late.');
  });

  it('lets only admins manage campaigns, refuses bad input with problems, and hides other workspaces', async () => {
    const { workspace, headers, campaignId } = await world();
    const agent = await makeUser(database.db, workspace.id, 'agent');
    const agentHeaders = await bearerFor(database, agent.actor);
    const url = '/api/v1/outreach/campaigns';
    expect((await app.inject({ method: 'GET', url, headers: agentHeaders })).statusCode).toBe(403);
    const bad = await app.inject({
      method: 'POST',
      url,
      headers,
      payload: { name: 'x', eventType: 'shipment.delayed', subject: 's', body: 'b', quietStart: '25:00' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const other = await makeWorkspace(database.db);
    const otherHeaders = await bearerFor(database, other.admin.actor);
    for (const [method, path] of [
      ['GET', `${url}/${campaignId}`],
      ['GET', `${url}/${campaignId}/stats`],
      ['DELETE', `${url}/${campaignId}`],
    ] as const)
      expect((await app.inject({ method, url: path, headers: otherHeaders })).statusCode).toBe(404);
    const paused = await app.inject({
      method: 'PATCH',
      url: `${url}/${campaignId}`,
      headers,
      payload: { active: false },
    });
    expect(paused.json().active).toBe(false);
  });
});
