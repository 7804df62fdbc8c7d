import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { ticketRequest } from '../../test/support/factories.ts';
import { signedInTeam, signedInWorkspace, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

type Entry = {
  route: string;
  method: string;
  targetId: string | null;
  actorUserId: string;
  details: { body: Record<string, unknown> };
};

describeEachDatabase('audit log', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const auditOf = async (headers: Record<string, string>, query = '') => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/audit-log${query}`, headers });
    return {
      status: response.statusCode,
      body: response.json() as { data: Entry[]; nextCursor: string | null },
    };
  };

  it("records admins' successful changes with the record's id and secrets redacted, and nothing else", async () => {
    const { admin, agent } = await signedInTeam(database);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: admin.headers,
      payload: { url: 'https://hooks.example.com/in', events: ['*'], secret: 'a-very-secret-signing-key' },
    });
    expect(created.statusCode).toBe(201);
    // Refused changes and an agent's everyday work are not admin actions.
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: admin.headers,
      payload: { url: 'ftp://x', events: ['*'] },
    });
    expect(refused.statusCode).toBe(400);
    const ticket = await app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: agent.headers,
      payload: ticketRequest('c@example.test'),
    });
    expect(ticket.statusCode).toBe(201);
    // Security-relevant self-service is audited too.
    const token = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: agent.headers,
      payload: { name: 'zap' },
    });
    expect(token.statusCode).toBe(201);

    // Entries are written once the answer has gone out (onResponse): wait for the last one.
    await expect
      .poll(async () => (await auditOf(admin.headers)).body.data.map((e) => `${e.method} ${e.route}`))
      .toEqual(['POST /api/v1/tokens', 'POST /api/v1/webhooks']);
    const { status, body } = await auditOf(admin.headers);
    expect(status).toBe(200);
    const [tokenEntry, webhookEntry] = body.data as [Entry, Entry];
    expect(tokenEntry.actorUserId).toBe(agent.actor.userId);
    expect(webhookEntry).toMatchObject({ targetId: created.json().id, actorUserId: admin.actor.userId });
    expect(webhookEntry.details.body).toMatchObject({
      url: 'https://hooks.example.com/in',
      secret: '[redacted]',
    });
    expect(JSON.stringify(body)).not.toContain('a-very-secret-signing-key');
    expect(JSON.stringify(body)).not.toContain(token.json().token);
  });

  it('is for admins of the workspace only, and pages with a cursor', async () => {
    const { admin, agent } = await signedInTeam(database);
    const other = await signedInWorkspace(database);
    for (const name of ['one', 'two', 'three'])
      await app.inject({ method: 'POST', url: '/api/v1/tags', headers: admin.headers, payload: { name } });
    expect((await auditOf(agent.headers)).status).toBe(403);
    expect((await auditOf(other.headers)).body.data).toEqual([]);
    await expect.poll(async () => (await auditOf(admin.headers)).body.data.length).toBe(3);
    const first = await auditOf(admin.headers, '?limit=2');
    expect(first.body.data).toHaveLength(2);
    const second = await auditOf(admin.headers, `?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    expect((await auditOf(admin.headers, '?cursor=nonsense')).status).toBe(400);
  });
});
