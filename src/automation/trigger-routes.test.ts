import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { signedInTeam, testApp } from '../../test/support/http.ts';
import { tickets } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

describeEachDatabase('triggers API', (kind: DatabaseKind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  it('saves a trigger switched off and dry-runs it over recent tickets without changing them', async () => {
    const { admin, agent } = await signedInTeam(database);
    const body = {
      name: 'Refunds to billing',
      active: false,
      events: ['ticket.created'],
      conditions: { all: [{ field: 'subject', op: 'contains', value: 'refund' }] },
      actions: [{ type: 'add_tags', tags: ['Billing'] }],
    };
    const post = (url: string, payload: object, headers = admin.headers) =>
      app.inject({ method: 'POST', url, payload, headers });
    expect((await post('/api/v1/admin/triggers', body, agent.headers)).statusCode).toBe(403);
    const badRegex = { ...body, conditions: { all: [{ field: 'subject', op: 'matches', value: '(' }] } };
    expect((await post('/api/v1/admin/triggers', badRegex)).statusCode).toBe(400);
    const created = await post('/api/v1/admin/triggers', body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      active: false,
      actions: [{ type: 'add_tags', tags: ['billing'] }],
    });

    const refunds = [
      await makeTicket(database.db, admin.actor, { subject: 'Refund please' }),
      await makeTicket(database.db, admin.actor, { subject: 'Partial REFUND' }),
    ];
    await makeTicket(database.db, admin.actor, { subject: 'Hello' });
    const dryRun = await post(`/api/v1/admin/triggers/${created.json().id}/dry-run?limit=10`, {});
    expect(dryRun.statusCode, dryRun.body).toBe(200);
    expect(dryRun.json().checked).toBe(3);
    expect(
      dryRun
        .json()
        .matches.map((m: { ticketId: string }) => m.ticketId)
        .sort(),
    ).toEqual(refunds.map((t) => t.id).sort());
    expect(dryRun.json().matches[0].changes).toEqual({ tags: ['billing'] });
    const [stored] = await database.db.select().from(tickets).where(eq(tickets.id, refunds[0]!.id));
    expect(stored!.tags).toEqual([]);

    const list = await app.inject({ url: '/api/v1/admin/triggers', headers: admin.headers });
    expect(list.json().data).toHaveLength(1);
  });
});
