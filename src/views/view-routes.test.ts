import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, signedInTeam, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { countTickets } from '../tickets/ticket-queries.ts';
import { updateTicket } from '../tickets/ticket-service.ts';

type View = {
  id: string;
  name: string;
  filters: Record<string, string>;
  count: number;
  countCapped: boolean;
};

describeEachDatabase('saved view routes', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const setup = () => signedInTeam(database);

  const create = (headers: Record<string, string>, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/v1/views', headers, payload });
  const listViews = async (headers: Record<string, string>): Promise<View[]> =>
    (await app.inject({ method: 'GET', url: '/api/v1/views', headers })).json().data;

  it('counts each view exactly as the ticket list filters it, per viewer', async () => {
    const { admin, agent } = await setup();
    const tickets = [];
    for (let i = 0; i < 9; i++) {
      tickets.push(
        await makeTicket(database.db, admin.actor, {
          channel: i % 3 === 0 ? 'chat' : 'email',
          priority: i % 4 === 0 ? 'urgent' : 'normal',
          tags: i % 2 ? ['refund'] : [],
          subject: i === 4 ? 'Broken teapot spout' : `Question ${i}`,
        }),
      );
    }
    for (const ticket of tickets.slice(0, 3))
      await updateTicket(database.db, admin.actor, ticket.id, { assigneeId: agent.id, status: 'pending' });
    await updateTicket(database.db, admin.actor, tickets[3]!.id, { assigneeId: admin.id });

    const filters = [
      { status: 'new,open' },
      { status: 'pending', assignee: 'me' },
      { assignee: 'none' },
      { channel: 'chat', priority: 'urgent,normal' },
      { tag: 'Refund' },
      { q: 'teapot' },
      { q: `#${tickets[7]!.number}` },
      { customer: tickets[2]!.customerId },
      {},
    ];
    for (const [i, filter] of filters.entries()) {
      const created = await create(agent.headers, { name: `View ${i}`, filters: filter, position: i });
      expect(created.statusCode, JSON.stringify(filter)).toBe(201);
    }
    const shared = await create(admin.headers, {
      name: 'Mine (shared)',
      filters: { assignee: 'me' },
      shared: true,
      position: 99,
    });
    expect(shared.json()).toMatchObject({ shared: true, ownerId: null, count: 1 });

    for (const viewer of [agent, admin]) {
      const views = await listViews(viewer.headers);
      expect(views.length).toBe(viewer === agent ? filters.length + 1 : 1);
      for (const view of views) {
        const query = new URLSearchParams({ ...view.filters, limit: '100' });
        const list = await app.inject({
          method: 'GET',
          url: `/api/v1/tickets?${query}`,
          headers: viewer.headers,
        });
        expect(list.statusCode, view.name).toBe(200);
        expect(view.count, `${view.name} ${JSON.stringify(view.filters)}`).toBe(list.json().data.length);
        expect(view.countCapped).toBe(false);
      }
    }
    const byName = Object.fromEntries((await listViews(agent.headers)).map((v) => [v.name, v]));
    expect(byName['View 1']!.count).toBe(3);
    expect(byName['View 5']!.count).toBe(1);
    expect(byName['View 8']!.count).toBe(9);
    // "me" is whoever looks: the admin's shared view counts the agent's own tickets for the agent.
    expect(byName['Mine (shared)']!.count).toBe(3);
    expect(byName['View 0']!.filters).toEqual({ status: 'new,open', sort: 'last_activity', order: 'desc' });
  });

  it('stops counting at the cap', async () => {
    const { admin } = await setup();
    for (let i = 0; i < 4; i++) await makeTicket(database.db, admin.actor);
    expect(await countTickets(database.db, admin.actor, {}, 3)).toEqual({ count: 3, capped: true });
    expect(await countTickets(database.db, admin.actor, {}, 4)).toEqual({ count: 4, capped: false });
  });

  it('keeps personal views to their owner and lets only admins share', async () => {
    const { admin, agent, light } = await setup();
    const lights = await create(light.headers, { name: 'My notes', filters: { status: 'open' } });
    expect(lights.statusCode).toBe(201);
    expect((await create(agent.headers, { name: 'Team', filters: {}, shared: true })).statusCode).toBe(403);
    expect((await create(light.headers, { name: 'Team', filters: {}, shared: true })).statusCode).toBe(403);
    const personal = (
      await create(agent.headers, { name: 'Urgent', filters: { priority: 'urgent' } })
    ).json();
    expect(personal).toMatchObject({
      shared: false,
      ownerId: agent.id,
      permissions: { update: true, delete: true },
    });
    const url = `/api/v1/views/${personal.id}`;
    expect((await app.inject({ method: 'GET', url, headers: admin.headers })).statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'PATCH', url, headers: agent.headers, payload: { shared: true } }))
        .statusCode,
    ).toBe(403);
    const renamed = await app.inject({
      method: 'PATCH',
      url,
      headers: agent.headers,
      payload: { name: 'Urgent ones', filters: { priority: 'urgent,high' } },
    });
    expect(renamed.json()).toMatchObject({ name: 'Urgent ones', filters: { priority: 'urgent,high' } });

    const team = (
      await create(admin.headers, { name: 'Team', filters: { status: 'new' }, shared: true })
    ).json();
    const teamUrl = `/api/v1/views/${team.id}`;
    const seenByAgent = (await listViews(agent.headers)).find((v) => v.id === team.id);
    expect(seenByAgent).toMatchObject({ name: 'Team', permissions: { update: false, delete: false } });
    expect(
      (await app.inject({ method: 'PATCH', url: teamUrl, headers: agent.headers, payload: { name: 'x' } }))
        .statusCode,
    ).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: teamUrl, headers: agent.headers })).statusCode).toBe(
      403,
    );
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: teamUrl,
          headers: admin.headers,
          payload: { shared: false },
        })
      ).json(),
    ).toMatchObject({
      shared: false,
      ownerId: admin.id,
    });
    expect((await listViews(agent.headers)).some((v) => v.id === team.id)).toBe(false);
    expect((await app.inject({ method: 'DELETE', url: teamUrl, headers: admin.headers })).statusCode).toBe(
      204,
    );
    expect((await app.inject({ method: 'DELETE', url, headers: agent.headers })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url, headers: agent.headers })).statusCode).toBe(404);
  });

  it('validates filters like the ticket list and hides other workspaces', async () => {
    const { admin } = await setup();
    const bad = await create(admin.headers, {
      name: 'Bad',
      filters: { status: 'open,nonsense', assignee: 'someone', cursor: 'abc' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ type: 'urn:rapport:problem:validation_failed', status: 400 });
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['body.filters.status.1', 'body.filters.assignee']),
    );
    expect((await create(admin.headers, { name: '', filters: {} })).statusCode).toBe(400);
    const view = (await create(admin.headers, { name: 'Shared', filters: {}, shared: true })).json();
    const other = await makeWorkspace(database.db);
    const otherHeaders = await bearerFor(database, other.admin.actor);
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const response = await app.inject({
        method,
        url: `/api/v1/views/${view.id}`,
        headers: otherHeaders,
        ...(method === 'PATCH' && { payload: { name: 'Mine now' } }),
      });
      expect(response.statusCode, method).toBe(404);
    }
    expect(await listViews(otherHeaders)).toEqual([]);
  });
});
