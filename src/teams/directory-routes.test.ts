import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

// Emails are unique across the install, and the PostgreSQL test database outlives a run.
const suffix = randomUUID().slice(0, 8);

describeEachDatabase('teams, users, tags, fields and workspaces', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  it('manages teams with members from the workspace only, and counts their tickets', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const other = await makeWorkspace(database.db);
    const agent = await makeUser(database.db, workspace.id, 'agent');
    const headers = await bearerFor(database, admin.actor);
    const team = await app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers,
      payload: { name: 'Billing', memberIds: [agent.id] },
    });
    expect(team.statusCode).toBe(201);
    const outsider = await app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${team.json().id}`,
      headers,
      payload: { memberIds: [other.admin.id] },
    });
    expect(outsider.statusCode).toBe(400);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/teams', headers, payload: { name: 'Billing' } }))
        .statusCode,
    ).toBe(409);
    await makeTicket(database.db, admin.actor, { teamId: team.json().id });
    const counts = (await app.inject({ method: 'GET', url: '/api/v1/tickets/counts', headers })).json();
    expect(counts.byTeam[team.json().id]).toBe(1);
    const agentHeaders = await bearerFor(database, agent.actor);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/teams/${team.json().id}`, headers: agentHeaders }))
        .statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/teams/${team.json().id}`, headers })).statusCode,
    ).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/tickets/counts', headers })).json().byTeam,
    ).toEqual({});
  });

  it('lets admins add users and change roles but never remove the last admin', async () => {
    const { admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers,
      payload: {
        email: `New.Agent.${suffix}@Example.test`,
        name: 'New Agent',
        password: 'long enough password',
      },
    });
    expect(created.json()).toMatchObject({
      email: `new.agent.${suffix.toLowerCase()}@example.test`,
      role: 'agent',
    });
    const weak = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers,
      payload: { email: 'weak@example.test', name: 'W', password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    const demote = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${admin.id}`,
      headers,
      payload: { role: 'agent' },
    });
    expect(demote.statusCode).toBe(422);
    const promoted = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${created.json().id}`,
      headers,
      payload: { role: 'admin' },
    });
    expect(promoted.json().role).toBe('admin');
    const users = (await app.inject({ method: 'GET', url: '/api/v1/users', headers })).json();
    expect(users.data).toHaveLength(2);
  });

  it('renames and deletes tags across tickets', async () => {
    const { admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const ticket = await makeTicket(database.db, admin.actor, { tags: ['late', 'refund'] });
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/tags?prefix=re', headers }))
        .json()
        .data.map((t: { name: string }) => t.name),
    ).toEqual(['refund']);
    await app.inject({
      method: 'PATCH',
      url: '/api/v1/tags/late',
      headers,
      payload: { name: 'Delayed', color: '#ff9900' },
    });
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers })).json().tags,
    ).toEqual(['delayed', 'refund']);
    await app.inject({ method: 'DELETE', url: '/api/v1/tags/refund', headers });
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers })).json().tags,
    ).toEqual(['delayed']);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/tags',
      headers,
      payload: { name: 'x', color: 'orange' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('validates ticket custom fields by type and requires required ones', async () => {
    const { admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    await app.inject({
      method: 'POST',
      url: '/api/v1/fields',
      headers,
      payload: { entity: 'ticket', key: 'order_number', label: 'Order', type: 'text', required: true },
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/fields',
      headers,
      payload: { entity: 'ticket', key: 'refund_amount', label: 'Refund', type: 'number' },
    });
    const body = {
      subject: 'Refund',
      customer: { email: 'r@example.test' },
      message: { body: 'Please refund' },
    };
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/tickets', headers, payload: body })).statusCode,
    ).toBe(400);
    const wrongType = await app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers,
      payload: { ...body, customFields: { order_number: 'A-1', refund_amount: 'ten' } },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().errors[0].path).toBe('customFields.refund_amount');
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers,
      payload: { ...body, customFields: { order_number: 'A-1', refund_amount: 10 } },
    });
    expect(ok.json().customFields).toEqual({ order_number: 'A-1', refund_amount: 10 });
  });

  it('lets an admin create another isolated workspace and switch into it', async () => {
    const { admin } = await makeWorkspace(database.db);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: admin.email, password: admin.password },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/workspaces',
      headers: { cookie },
      payload: { name: 'Second Brand' },
    });
    expect(created.statusCode).toBe(201);
    const switched = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/switch',
      headers: { cookie },
      payload: { workspaceId: created.json().id },
    });
    expect(switched.json().workspace.name).toBe('Second Brand');
    const newCookie = String(switched.headers['set-cookie']).split(';')[0]!;
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: { cookie: newCookie } })).json()
        .data,
    ).toEqual([]);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/workspaces', headers: { cookie: newCookie } })).json()
        .data,
    ).toHaveLength(2);
  });
});
