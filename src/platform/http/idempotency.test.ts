import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../../test/support/databases.ts';
import { ticketRequest } from '../../../test/support/factories.ts';
import { signedInWorkspace, testApp } from '../../../test/support/http.ts';
import { type Database, queryRows } from '../db/database.ts';
import type { App } from './server.ts';

describeEachDatabase('Idempotency-Key: the answer commits with the writes', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const ticketsOf = async (workspaceId: string) =>
    (
      await queryRows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM tickets WHERE workspace_id = ${workspaceId}`,
      )
    )[0]!.n;

  it('makes concurrent retries wait for the first request and answer what it answered', async () => {
    const { workspace, headers } = await signedInWorkspace(database);
    const payload = ticketRequest('same@example.test');
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: { ...headers, 'idempotency-key': 'together' },
        payload,
      });
    const answers = await Promise.all([send(), send(), send(), send()]);
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(3);
    expect(await ticketsOf(workspace.id)).toBe(1);
  });

  it('keeps neither the writes nor the key of a request that failed, so a retry runs afresh', async () => {
    const { workspace, headers } = await signedInWorkspace(database);
    const send = (payload: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: { ...headers, 'idempotency-key': 'after-a-failure' },
        payload,
      });
    const missingCustomer = ticketRequest('x@example.test', { customFields: { no_such_field: 1 } });
    const failed = await send(missingCustomer);
    expect(failed.statusCode, failed.body).toBe(400);
    expect(await ticketsOf(workspace.id)).toBe(0);
    const keys = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM idempotency_keys WHERE workspace_id = ${workspace.id}`,
    );
    expect(keys[0]!.n).toBe(0);
    // Refused by the service, inside the request's transaction: the same key now takes another body.
    const created = await send(ticketRequest('x@example.test'));
    expect(created.statusCode).toBe(201);
    expect(created.headers['idempotent-replayed']).toBeUndefined();
    expect(await ticketsOf(workspace.id)).toBe(1);
  });
});
