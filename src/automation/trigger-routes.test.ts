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

  it('validates the new conditions and actions, and keeps each workspace to its own triggers', async () => {
    const { admin } = await signedInTeam(database);
    const other = await signedInTeam(database);
    const post = (payload: object, headers = admin.headers) =>
      app.inject({ method: 'POST', url: '/api/v1/admin/triggers', payload, headers });
    const base = { name: 'Rule', events: ['ticket.created'], actions: [{ type: 'escalate' }] };
    const condition = (c: object) => ({ ...base, conditions: { all: [c] } });
    for (const bad of [
      condition({ field: 'customer', op: 'is', value: 'gold' }),
      condition({ field: 'custom_field', op: 'present' }),
      condition({ field: 'hours_since_update', op: 'is', value: '72' }),
      condition({ field: 'hours_since_update', op: 'at_least', value: 'three days' }),
      condition({ field: 'status', op: 'at_least', value: '1' }),
      condition({ field: 'business_hours', op: 'is', value: 'lunch' }),
      { ...base, actions: [{ type: 'reply', body: 'Hi', cannedId: crypto.randomUUID() }] },
      { ...base, actions: [{ type: 'reply' }] },
      { ...base, actions: [{ type: 'route', strategy: 'random' }] },
      { ...base, actions: [{ type: 'webhook', webhookId: 'not-a-uuid' }] },
    ]) {
      const response = await post(bad);
      expect(response.statusCode, JSON.stringify(bad)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const good = await post({
      ...base,
      conditions: {
        all: [
          { field: 'customer', key: 'tier', op: 'is', value: 'gold' },
          { field: 'hours_since_update', op: 'at_least', value: '72' },
          { field: 'business_hours', op: 'is', value: 'outside' },
        ],
        any: [{ field: 'intent', op: 'is', value: 'refund' }],
      },
      actions: [
        { type: 'route', strategy: 'skills', skills: ['billing'] },
        { type: 'notify', body: 'Look at this' },
        { type: 'escalate', teamId: null },
      ],
    });
    expect(good.statusCode, good.body).toBe(201);
    const id = good.json().id;
    const url = `/api/v1/admin/triggers/${id}`;
    const patched = await app.inject({
      method: 'PATCH',
      url,
      payload: { active: false },
      headers: admin.headers,
    });
    expect(patched.json()).toMatchObject({ active: false, actions: [{ type: 'route' }, {}, {}] });
    for (const method of ['PATCH', 'DELETE'] as const) {
      const foreign = await app.inject({
        method,
        url,
        payload: { active: true },
        headers: other.admin.headers,
      });
      expect(foreign.statusCode).toBe(404);
    }
    const dryRun = await app.inject({ method: 'POST', url: `${url}/dry-run`, headers: other.admin.headers });
    expect(dryRun.statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url, headers: admin.headers })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url, headers: admin.headers })).statusCode).toBe(404);
  });

  it('puts every trigger in the order given and refuses a partial or foreign list', async () => {
    const { admin, agent } = await signedInTeam(database);
    const other = await signedInTeam(database);
    const create = async (name: string, headers = admin.headers) =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/admin/triggers',
          headers,
          payload: { name, events: ['ticket.created'], actions: [{ type: 'add_tags', tags: [name] }] },
        })
      ).json().id as string;
    const [a, b, c] = [await create('a'), await create('b'), await create('c')];
    const foreign = await create('x', other.admin.headers);
    const order = (ids: string[], headers = admin.headers) =>
      app.inject({ method: 'PUT', url: '/api/v1/admin/triggers/order', headers, payload: { ids } });

    expect((await order([c, a, b], agent.headers)).statusCode).toBe(403);
    expect((await order([c, a])).statusCode).toBe(400);
    expect((await order([c, a, a])).statusCode).toBe(400);
    expect((await order([c, a, foreign])).statusCode).toBe(400);
    const reordered = await order([c, a, b]);
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(
      reordered.json().data.map((t: { name: string; position: number }) => [t.name, t.position]),
    ).toEqual([
      ['c', 0],
      ['a', 1],
      ['b', 2],
    ]);
    const listed = await app.inject({ url: '/api/v1/admin/triggers', headers: admin.headers });
    expect(listed.json().data.map((t: { id: string }) => t.id)).toEqual([c, a, b]);
  });
});
