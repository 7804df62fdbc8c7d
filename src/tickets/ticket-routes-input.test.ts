import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { ticketRequest } from '../../test/support/factories.ts';
import { signedInWorkspace, testApp } from '../../test/support/http.ts';
import { type Database, queryRows } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

describeEachDatabase('ticket routes: bad input and retries', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const setup = () => signedInWorkspace(database);

  const countRows = async (table: string, workspaceId: string) =>
    (
      await queryRows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE workspace_id = ${workspaceId}`,
      )
    )[0]!.n;

  it('gives every kind of bad input a 4xx problem body and writes nothing', async () => {
    const { workspace, headers } = await setup();
    const post = (payload: string, extra: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: { ...headers, 'content-type': 'application/json', ...extra },
        payload,
      });
    const cases = [
      { response: await post('{"subject": "broken'), status: 400 },
      { response: await post(JSON.stringify(ticketRequest('a@example.test', { subject: 42 }))), status: 400 },
      {
        response: await post(JSON.stringify(ticketRequest('a@example.test', { surprise: true }))),
        status: 400,
      },
      { response: await post(JSON.stringify(ticketRequest('not-an-email'))), status: 400 },
      {
        response: await post(
          JSON.stringify(
            ticketRequest('a@example.test', { assigneeId: '00000000-0000-4000-8000-000000000000' }),
          ),
        ),
        status: 400,
      },
      {
        response: await post(
          JSON.stringify(ticketRequest('a@example.test', { customFields: { unknown_field: 1 } })),
        ),
        status: 400,
      },
      {
        response: await post(
          JSON.stringify(ticketRequest('a@example.test', { message: { body: 'x'.repeat(1_100_000) } })),
        ),
        status: 413,
      },
      {
        response: await post('subject=x', { 'content-type': 'application/x-www-form-urlencoded' }),
        status: 415,
      },
      {
        response: await app.inject({ method: 'GET', url: '/api/v1/tickets/not-a-uuid', headers }),
        status: 400,
      },
      {
        response: await app.inject({ method: 'GET', url: '/api/v1/tickets?cursor=garbage', headers }),
        status: 400,
      },
      {
        response: await app.inject({
          method: 'GET',
          url: '/api/v1/tickets',
          headers: { authorization: 'Bearer nope' },
        }),
        status: 401,
      },
      { response: await app.inject({ method: 'GET', url: '/api/v1/nowhere', headers }), status: 404 },
    ];
    for (const { response, status } of cases) {
      expect(response.statusCode, response.body).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = response.json();
      expect(body).toMatchObject({
        status,
        type: expect.stringMatching(/^urn:rapport:problem:/),
        title: expect.any(String),
        detail: expect.any(String),
      });
      expect(response.body).not.toMatch(/at .+\.ts:\d+/);
    }
    expect(cases[2]!.response.json().errors[0].path).toMatch(/^body/);
    expect(await countRows('tickets', workspace.id)).toBe(0);
    expect(await countRows('customers', workspace.id)).toBe(0);
    expect(await countRows('outbox', workspace.id)).toBe(0);
  });

  it('runs a POST once per Idempotency-Key', async () => {
    const { workspace, headers } = await setup();
    const send = (key: string, email: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: { ...headers, 'idempotency-key': key },
        payload: ticketRequest(email),
      });
    const first = await send('key-1', 'once@example.test');
    const retry = await send('key-1', 'once@example.test');
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().id).toBe(first.json().id);
    expect(await countRows('tickets', workspace.id)).toBe(1);
    const reused = await send('key-1', 'other@example.test');
    expect(reused.statusCode).toBe(422);
    expect(reused.json().type).toBe('urn:rapport:problem:idempotency_key_reused');
    const parallel = await Promise.all([
      send('key-2', 'p@example.test'),
      send('key-2', 'p@example.test'),
      send('key-2', 'p@example.test'),
    ]);
    expect(parallel.filter((r) => r.statusCode === 201).length).toBeGreaterThanOrEqual(1);
    expect(parallel.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    expect(await countRows('tickets', workspace.id)).toBe(2);
  });
});
