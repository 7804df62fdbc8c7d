import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { testDeps } from '../../test/support/http.ts';
import { webhookAttempts, webhookDeliveries } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Database, Db } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import { createOutboxRelay, type OutboxRelay } from '../platform/outbox/relay.ts';
import { workerHandlers } from '../workers.ts';
import {
  createWebhookDeliveryWorker,
  MAX_DELIVERY_ATTEMPTS,
  retryDelayMs,
  type WebhookDeliveryWorker,
} from './webhook-delivery.ts';
import type { WebhookPayload } from './webhook-fan-out.ts';
import { createWebhook, deleteWebhook, redeliver } from './webhook-service.ts';

type Received = { path: string; headers: IncomingHttpHeaders; body: string };
/** What the receiver answers to its n-th request: a status code, or 'hang' to never answer. */
type Reply = number | 'hang';

/** A real HTTP receiver on loopback. Each has its own path, so a stray delivery from an old run is ignored. */
async function startReceiver(replies: Reply[] = [200]) {
  const path = `/hooks/${randomUUID()}`;
  const received: Received[] = [];
  let base = '';
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      if (!request.url?.startsWith(path)) return void response.writeHead(404).end();
      received.push({ path: request.url, headers: request.headers, body });
      const reply = replies[Math.min(received.length, replies.length) - 1] ?? 200;
      if (reply === 'hang') return;
      const redirect = reply >= 300 && reply < 400 ? { location: `${base}${path}/moved` } : {};
      response.writeHead(reply, redirect).end('thanks');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}${path}`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nobody listens on. */
async function closedPortUrl(): Promise<string> {
  const receiver = await startReceiver();
  await receiver.close();
  return receiver.url;
}

/** Receivers verify like this: HMAC-SHA256 of "<timestamp>.<body>" with the secret, compared in constant time. */
function verifies(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(`${headers['x-rapport-timestamp']}.${body}`).digest('hex')}`;
  const given = String(headers['x-rapport-signature']);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

describe('retry delay', () => {
  it('doubles from 30 seconds with jitter and stops growing at 6 hours', () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(2, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(1, () => 0)).toBe(24_000);
    expect(retryDelayMs(1, () => 1)).toBe(36_000);
    expect(retryDelayMs(20, () => 1)).toBe(6 * 60 * 60 * 1000);
  });
});

describeEachDatabase('webhook delivery', (kind) => {
  let database: Database;
  let db: Db;
  let deps: Deps;
  let relay: OutboxRelay;
  let worker: WebhookDeliveryWorker;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    db = database.db;
    deps = testDeps(database, { env: { RAPPORT_WEBHOOK_TIMEOUT_MS: '500' } });
    // The production handler set, so events of other tests sharing the database still get their realtime fan-out.
    relay = createOutboxRelay({ database, handlers: workerHandlers(deps), logger: deps.logger });
    worker = createWebhookDeliveryWorker(deps);
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  afterAll(async () => {
    await worker?.stop();
  });

  async function receiver(replies?: Reply[]) {
    const started = await startReceiver(replies);
    cleanups.push(started.close);
    return started;
  }

  async function subscribe(actor: Actor, url: string, events: string[] = ['*'], active = true) {
    const created = await createWebhook(deps, actor, { url, events, active });
    // Leaves no pending deliveries behind for later tests and runs on the shared database.
    cleanups.push(async () => {
      await deleteWebhook(db, actor, created.webhook.id);
    });
    return created;
  }

  const deliveriesOf = (subscriptionId: string) =>
    db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, subscriptionId));
  const attemptsOf = (deliveryId: string) =>
    db
      .select()
      .from(webhookAttempts)
      .where(eq(webhookAttempts.deliveryId, deliveryId))
      .orderBy(asc(webhookAttempts.attemptedAt));
  // Stands in for the backoff passing, without sleeping.
  const makeDue = (deliveryId: string) =>
    db
      .update(webhookDeliveries)
      .set({ nextAttemptAt: sql`now() - interval '1 second'` })
      .where(eq(webhookDeliveries.id, deliveryId));

  it('delivers a new ticket to its subscriber, signed so the receiver can verify it', async () => {
    const { admin } = await makeWorkspace(db);
    const hook = await receiver();
    const { webhook, secret } = await subscribe(admin.actor, hook.url, ['ticket.created']);
    const ticket = await makeTicket(db, admin.actor);
    await relay.drain();
    await worker.runDue();

    expect(hook.received).toHaveLength(1);
    const [request] = hook.received;
    const payload = JSON.parse(request!.body) as WebhookPayload;
    expect(payload).toMatchObject({
      type: 'ticket.created',
      workspaceId: admin.actor.workspaceId,
      data: { ticket: { id: ticket.id, number: ticket.number } },
    });
    expect(payload.id).toEqual(expect.any(Number));
    expect(Number.isNaN(Date.parse(payload.createdAt))).toBe(false);
    expect(verifies(secret, request!.headers, request!.body)).toBe(true);
    expect(verifies('not-the-secret-at-all', request!.headers, request!.body)).toBe(false);

    const [delivery] = await deliveriesOf(webhook.id);
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Rapport-Webhooks/1',
      'x-rapport-event': 'ticket.created',
      'x-rapport-delivery': delivery!.id,
    });
    expect(request!.headers['x-rapport-timestamp']).toMatch(/^\d{10}$/);
    expect(delivery).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
    });
    expect(delivery!.completedAt).not.toBeNull();
    expect(delivery!.lastResponseMs).toEqual(expect.any(Number));
    const attempts = await attemptsOf(delivery!.id);
    expect(attempts.map((a) => a.statusCode)).toEqual([200]);

    await worker.runDue();
    expect(hook.received).toHaveLength(1);
  });

  it('retries a failed delivery once its backoff has passed and logs every attempt', async () => {
    const { admin } = await makeWorkspace(db);
    const hook = await receiver([500, 200]);
    const { webhook } = await subscribe(admin.actor, hook.url, ['ticket.created']);
    await makeTicket(db, admin.actor);
    await relay.drain();
    await worker.runDue();

    const [failed] = await deliveriesOf(webhook.id);
    expect(failed).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
    });
    expect(failed!.nextAttemptAt.getTime()).toBeGreaterThan(failed!.createdAt.getTime());
    await worker.runDue();
    expect(hook.received).toHaveLength(1);

    await makeDue(failed!.id);
    await worker.runDue();
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1]!.headers['x-rapport-delivery']).toBe(failed!.id);
    expect(hook.received[1]!.body).toBe(hook.received[0]!.body);
    const [delivered] = await deliveriesOf(webhook.id);
    expect(delivered).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
    });
    const attempts = await attemptsOf(failed!.id);
    expect(attempts.map((a) => [a.statusCode, a.error])).toEqual([
      [500, 'HTTP 500'],
      [200, null],
    ]);
    expect(attempts.every((a) => a.responseMs >= 0)).toBe(true);
  });

  it('records a refused connection and a timeout as errors', async () => {
    const { admin } = await makeWorkspace(db);
    const hanging = await receiver(['hang']);
    const refused = await subscribe(admin.actor, await closedPortUrl(), ['ticket.created']);
    const slow = await subscribe(admin.actor, hanging.url, ['ticket.created']);
    await makeTicket(db, admin.actor);
    await relay.drain();
    await worker.runDue();

    const [refusedDelivery] = await deliveriesOf(refused.webhook.id);
    expect(refusedDelivery).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect(refusedDelivery!.lastError).toContain('ECONNREFUSED');
    const [slowDelivery] = await deliveriesOf(slow.webhook.id);
    expect(slowDelivery).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: null,
      lastError: 'Timed out after 500 ms',
    });
    expect(hanging.received).toHaveLength(1);
    const [attempt] = await attemptsOf(slowDelivery!.id);
    expect(attempt).toMatchObject({ statusCode: null, error: 'Timed out after 500 ms' });
  });

  it('treats a redirect as a failure and does not follow it', async () => {
    const { admin } = await makeWorkspace(db);
    const hook = await receiver([302]);
    const { webhook } = await subscribe(admin.actor, hook.url, ['ticket.created']);
    await makeTicket(db, admin.actor);
    await relay.drain();
    await worker.runDue();

    expect(hook.received.map((r) => r.path)).toEqual([new URL(hook.url).pathname]);
    const [delivery] = await deliveriesOf(webhook.id);
    expect(delivery).toMatchObject({ status: 'pending', lastStatusCode: 302 });
    expect(delivery!.lastError).toContain('Redirect');
  });

  it('gives up after its last attempt, and a redelivery starts over', async () => {
    const { admin } = await makeWorkspace(db);
    const replies: Reply[] = Array.from({ length: MAX_DELIVERY_ATTEMPTS }, () => 503);
    const hook = await receiver([...replies, 200]);
    const { webhook } = await subscribe(admin.actor, hook.url, ['ticket.created']);
    await makeTicket(db, admin.actor);
    await relay.drain();
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      const [delivery] = await deliveriesOf(webhook.id);
      await makeDue(delivery!.id);
      await worker.runDue();
    }
    const [failed] = await deliveriesOf(webhook.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS, lastStatusCode: 503 });
    expect(failed!.completedAt).not.toBeNull();
    expect(await attemptsOf(failed!.id)).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    await makeDue(failed!.id);
    await worker.runDue();
    expect(hook.received).toHaveLength(MAX_DELIVERY_ATTEMPTS);

    const again = await redeliver(db, admin.actor, webhook.id, failed!.id, deps.clock.now());
    expect(again).toMatchObject({ status: 'pending', attempts: 0, completedAt: null });
    await worker.runDue();
    const [delivered] = await deliveriesOf(webhook.id);
    expect(delivered).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200 });
    expect(await attemptsOf(failed!.id)).toHaveLength(MAX_DELIVERY_ATTEMPTS + 1);
  });

  it('sends a subscription only the event types it asked for, from its own workspace, while active', async () => {
    const { admin } = await makeWorkspace(db);
    const other = await makeWorkspace(db);
    const url = 'http://127.0.0.1:9/unused';
    const tickets = await subscribe(admin.actor, url, ['ticket.created', 'ticket.updated']);
    const customers = await subscribe(admin.actor, url, ['customer.updated']);
    const everything = await subscribe(admin.actor, url, ['*']);
    const paused = await subscribe(admin.actor, url, ['*'], false);
    const elsewhere = await subscribe(other.admin.actor, url, ['*']);
    await makeTicket(db, admin.actor);
    await makeTicket(db, other.admin.actor);
    await relay.drain();

    const types = async (id: string) => (await deliveriesOf(id)).map((d) => d.eventType).sort();
    expect(await types(tickets.webhook.id)).toEqual(['ticket.created']);
    expect(await types(customers.webhook.id)).toEqual([]);
    expect(await types(everything.webhook.id)).toEqual(['ticket.created']);
    expect(await types(paused.webhook.id)).toEqual([]);
    const theirs = await deliveriesOf(elsewhere.webhook.id);
    expect(theirs.map((d) => d.eventType)).toEqual(['ticket.created']);
    expect(theirs.every((d) => d.payload.workspaceId === other.workspace.id)).toBe(true);

    // Replaying the same event (a relay retry) queues nothing twice.
    const [queued] = await deliveriesOf(tickets.webhook.id);
    await db.execute(sql`UPDATE outbox SET processed_at = NULL WHERE id = ${queued!.eventId}`);
    await relay.drain();
    expect(await deliveriesOf(tickets.webhook.id)).toHaveLength(1);
  });

  it('runs by itself once started: the relay wakes it, and stop waits for the request in flight', async () => {
    const { admin } = await makeWorkspace(db);
    const hook = await receiver();
    const { webhook } = await subscribe(admin.actor, hook.url, ['ticket.created']);
    const running = createWebhookDeliveryWorker(deps);
    await running.start();
    try {
      await makeTicket(db, admin.actor);
      await relay.drain();
      for (let i = 0; i < 200 && hook.received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await running.stop();
    }
    expect(hook.received).toHaveLength(1);
    const [delivery] = await deliveriesOf(webhook.id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1 });
  });
});
