import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testApp, testDeps } from '../../test/support/http.ts';
import { outbox, webhookDeliveries, webhookSubscriptions } from '../db/schema/index.ts';
import type { Database, Db } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { webhookFanOut } from './webhook-fan-out.ts';

type Json = Record<string, unknown>;

describeEachDatabase('webhook routes', (kind) => {
  let database: Database;
  let db: Db;
  let app: App;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    db = database.db;
    app = await testApp(database);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function call(
    headers: Record<string, string>,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: Json,
  ) {
    const response = await app.inject({ method, url, headers, ...(payload && { payload }) });
    return {
      status: response.statusCode,
      body: response.body ? (response.json() as Json) : {},
      text: response.body,
    };
  }

  it('lets an admin create, read, change and delete a webhook, showing the secret only once', async () => {
    const { admin } = await makeWorkspace(db);
    const auth = await bearerFor(database, admin.actor);
    const created = await call(auth, 'POST', '/api/v1/webhooks', {
      url: 'https://hooks.example.test/rapport',
      events: ['ticket.created', 'message.created'],
      description: 'CRM sync',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: 'https://hooks.example.test/rapport',
      events: ['message.created', 'ticket.created'],
      description: 'CRM sync',
      active: true,
    });
    const secret = String(created.body.secret);
    expect(secret).toMatch(/^whsec_.{40,}$/);
    const id = String(created.body.id);

    const read = await call(auth, 'GET', `/api/v1/webhooks/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('secret');
    expect(read.text).not.toContain(secret);
    const list = await call(auth, 'GET', '/api/v1/webhooks');
    expect((list.body.data as Json[]).map((w) => w.id)).toEqual([id]);
    expect(list.text).not.toContain(secret);

    const [stored] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
    expect(stored!.secretEncrypted).not.toContain(secret);
    expect(testDeps(database).secretBox.open(stored!.secretEncrypted)).toBe(secret);

    const changed = await call(auth, 'PATCH', `/api/v1/webhooks/${id}`, { events: ['*'], active: false });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      events: ['*'],
      active: false,
      url: 'https://hooks.example.test/rapport',
    });
    expect(changed.body).not.toHaveProperty('secret');

    const own = await call(auth, 'POST', '/api/v1/webhooks', {
      url: 'http://127.0.0.1:8080/in',
      events: ['*'],
      secret: 'a-secret-we-chose-ourselves',
    });
    expect(own.body.secret).toBe('a-secret-we-chose-ourselves');

    expect((await call(auth, 'DELETE', `/api/v1/webhooks/${id}`)).status).toBe(204);
    expect((await call(auth, 'GET', `/api/v1/webhooks/${id}`)).status).toBe(404);
  });

  it('refuses URLs that are not http(s) and event types that do not exist', async () => {
    const { admin } = await makeWorkspace(db);
    const auth = await bearerFor(database, admin.actor);
    const attempt = (body: Json) => call(auth, 'POST', '/api/v1/webhooks', body);
    for (const url of [
      'ftp://example.test/in',
      'javascript:alert(1)',
      'not a url',
      'https://user:pw@example.test/',
    ]) {
      expect((await attempt({ url, events: ['*'] })).status).toBe(400);
    }
    expect((await attempt({ url: 'https://example.test/in', events: ['ticket.exploded'] })).status).toBe(400);
    expect((await attempt({ url: 'https://example.test/in', events: [] })).status).toBe(400);
    expect((await attempt({ url: 'https://example.test/in', events: ['*'], secret: 'short' })).status).toBe(
      400,
    );
    expect((await call(auth, 'GET', '/api/v1/webhooks')).body.data).toEqual([]);
  });

  it('refuses private and loopback targets unless the configuration allows them', async () => {
    const strict = await testApp(database, { env: { RAPPORT_ALLOW_PRIVATE_TARGETS: 'false' } });
    try {
      const { admin } = await makeWorkspace(db);
      const headers = await bearerFor(database, admin.actor);
      for (const url of [
        'http://127.0.0.1:8080/hook',
        'http://localhost/hook',
        'http://[::1]/hook',
        'http://169.254.169.254/latest/meta-data',
        'http://10.0.0.5/hook',
        'http://[::ffff:192.168.0.1]/hook',
      ]) {
        const response = await strict.inject({
          method: 'POST',
          url: '/api/v1/webhooks',
          headers,
          payload: { url, events: ['*'] },
        });
        expect(response.statusCode, url).toBe(400);
        expect(response.json().detail).toMatch(/private or loopback/);
      }
      const ok = await strict.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers,
        payload: { url: 'https://hooks.example.com/in', events: ['*'] },
      });
      expect(ok.statusCode).toBe(201);
    } finally {
      await strict.close();
    }
  });

  it("keeps webhooks to admins: agents get 403, another workspace's admin 404", async () => {
    const { workspace, admin } = await makeWorkspace(db);
    const agent = await makeUser(db, workspace.id, 'agent');
    const other = await makeWorkspace(db);
    const auth = await bearerFor(database, admin.actor);
    const agentAuth = await bearerFor(database, agent.actor);
    const otherAuth = await bearerFor(database, other.admin.actor);
    const created = await call(auth, 'POST', '/api/v1/webhooks', {
      url: 'https://example.test/in',
      events: ['*'],
    });
    const id = String(created.body.id);

    expect((await call(agentAuth, 'GET', '/api/v1/webhooks')).status).toBe(403);
    expect((await call(agentAuth, 'GET', `/api/v1/webhooks/${id}`)).status).toBe(403);
    expect(
      (await call(agentAuth, 'POST', '/api/v1/webhooks', { url: 'https://x.test/', events: ['*'] })).status,
    ).toBe(403);
    expect((await call(agentAuth, 'DELETE', `/api/v1/webhooks/${id}`)).status).toBe(403);

    expect((await call(otherAuth, 'GET', `/api/v1/webhooks/${id}`)).status).toBe(404);
    expect((await call(otherAuth, 'PATCH', `/api/v1/webhooks/${id}`, { active: false })).status).toBe(404);
    expect((await call(otherAuth, 'DELETE', `/api/v1/webhooks/${id}`)).status).toBe(404);
    expect((await call(otherAuth, 'GET', `/api/v1/webhooks/${id}/deliveries`)).status).toBe(404);
    expect((await call(otherAuth, 'GET', '/api/v1/webhooks')).body.data).toEqual([]);
    expect((await call(auth, 'GET', `/api/v1/webhooks/${id}`)).body).toMatchObject({ active: true });
  });

  it('lists deliveries with their outcome and queues one again on redeliver', async () => {
    const { admin } = await makeWorkspace(db);
    const other = await makeWorkspace(db);
    const auth = await bearerFor(database, admin.actor);
    const otherAuth = await bearerFor(database, other.admin.actor);
    const created = await call(auth, 'POST', '/api/v1/webhooks', {
      url: 'http://127.0.0.1:9/unused',
      events: ['ticket.created'],
      active: false,
    });
    const id = String(created.body.id);
    await makeTicket(db, admin.actor);
    const [event] = await db.select().from(outbox).where(eq(outbox.workspaceId, admin.actor.workspaceId));
    // Active only inside this transaction: the delivery is queued, yet no worker sharing the database sends it.
    await db.transaction(async (tx) => {
      const setActive = (active: boolean) =>
        tx.update(webhookSubscriptions).set({ active }).where(eq(webhookSubscriptions.id, id));
      const { id: eventId, workspaceId, type, payload, createdAt } = event!;
      await setActive(true);
      await webhookFanOut.handle(tx, { id: eventId, workspaceId, type, payload, createdAt });
      await setActive(false);
    });
    const [queued] = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.subscriptionId, id));
    await db.execute(
      sql`UPDATE webhook_deliveries SET status = 'failed', attempts = 8, last_status_code = 500,
          last_response_ms = 12, last_error = 'HTTP 500', completed_at = now() WHERE id = ${queued!.id}`,
    );

    const list = await call(auth, 'GET', `/api/v1/webhooks/${id}/deliveries`);
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        id: queued!.id,
        webhookId: id,
        eventId: event!.id,
        eventType: 'ticket.created',
        status: 'failed',
        attempts: 8,
        nextAttemptAt: null,
        lastStatusCode: 500,
        lastResponseMs: 12,
        lastError: 'HTTP 500',
        completedAt: expect.any(String),
      }),
    ]);
    expect((await call(auth, 'GET', `/api/v1/webhooks/${id}/deliveries?status=pending`)).body.data).toEqual(
      [],
    );

    const deliveryUrl = `/api/v1/webhooks/${id}/deliveries/${queued!.id}`;
    expect((await call(otherAuth, 'POST', `${deliveryUrl}/redeliver`)).status).toBe(404);
    const again = await call(auth, 'POST', `${deliveryUrl}/redeliver`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      status: 'pending',
      attempts: 0,
      completedAt: null,
      nextAttemptAt: expect.any(String),
    });
    const detail = await call(auth, 'GET', deliveryUrl);
    expect(detail.body).toMatchObject({
      status: 'pending',
      payload: { id: event!.id, type: 'ticket.created', workspaceId: admin.actor.workspaceId },
      history: [],
    });
  });

  it('describes the webhook endpoints and their responses in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(doc.paths['/api/v1/webhooks'] ?? {})).toEqual(expect.arrayContaining(['get', 'post']));
    expect(JSON.stringify(doc.paths['/api/v1/webhooks']?.post?.responses['201'])).toContain('secret');
    expect(doc.paths['/api/v1/webhooks/{id}/deliveries']?.get?.responses['200']).toBeDefined();
    expect(doc.paths['/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver']?.post).toBeDefined();
  });
});
