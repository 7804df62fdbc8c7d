import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, signedInTeam, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

describeEachDatabase('canned response routes', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const setup = () => signedInTeam(database);

  const create = (headers: Record<string, string>, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/v1/canned-responses', headers, payload });

  it('keeps shared responses for admins and personal ones for their owner', async () => {
    const { admin, agent, light } = await setup();
    const shared = await create(admin.headers, {
      title: 'Refund',
      body: 'Refunded.',
      shortcut: 'refund',
      shared: true,
    });
    expect(shared.statusCode).toBe(201);
    expect(shared.json()).toMatchObject({ shared: true, ownerId: null, shortcut: 'refund', usageCount: 0 });
    expect((await create(agent.headers, { title: 'x', body: 'y', shared: true })).statusCode).toBe(403);
    expect((await create(light.headers, { title: 'x', body: 'y', shared: true })).statusCode).toBe(403);
    const mine = await create(agent.headers, { title: 'My greeting', body: 'Hello there' });
    expect(mine.statusCode).toBe(201);
    expect(mine.json()).toMatchObject({
      shared: false,
      ownerId: agent.id,
      permissions: { update: true, delete: true },
    });
    const lights = await create(light.headers, { title: 'Note template', body: 'Checked with billing' });
    expect(lights.statusCode).toBe(201);

    const list = (headers: Record<string, string>, query = '') =>
      app.inject({ method: 'GET', url: `/api/v1/canned-responses${query}`, headers }).then((r) => r.json());
    const agentList = await list(agent.headers);
    expect(agentList.data.map((c: { title: string }) => c.title)).toEqual(['My greeting', 'Refund']);
    expect(agentList.data[1].permissions).toEqual({ update: false, delete: false });
    expect((await list(admin.headers)).data.map((c: { title: string }) => c.title)).toEqual(['Refund']);
    expect((await list(admin.headers)).data[0].permissions).toEqual({ update: true, delete: true });
    expect((await list(agent.headers, '?q=HELLO')).data.map((c: { title: string }) => c.title)).toEqual([
      'My greeting',
    ]);
    expect((await list(agent.headers, '?q=refu')).data).toHaveLength(1);
    expect((await list(agent.headers, '?q=%25')).data).toHaveLength(0);

    const sharedUrl = `/api/v1/canned-responses/${shared.json().id}`;
    const mineUrl = `/api/v1/canned-responses/${mine.json().id}`;
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: sharedUrl,
          headers: agent.headers,
          payload: { title: 'No' },
        })
      ).statusCode,
    ).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: sharedUrl, headers: agent.headers })).statusCode).toBe(
      403,
    );
    // Someone else's personal response does not exist for the admin either.
    expect((await app.inject({ method: 'GET', url: mineUrl, headers: admin.headers })).statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'PATCH', url: mineUrl, headers: admin.headers, payload: { title: 'No' } }))
        .statusCode,
    ).toBe(404);
    const edited = await app.inject({
      method: 'PATCH',
      url: sharedUrl,
      headers: admin.headers,
      payload: { title: 'Refund issued', shortcut: null },
    });
    expect(edited.json()).toMatchObject({ title: 'Refund issued', shortcut: null, body: 'Refunded.' });
    expect(
      (
        await app.inject({ method: 'PATCH', url: mineUrl, headers: agent.headers, payload: { body: 'Hi!' } })
      ).json().body,
    ).toBe('Hi!');
    expect((await app.inject({ method: 'DELETE', url: mineUrl, headers: agent.headers })).statusCode).toBe(
      204,
    );
    expect((await app.inject({ method: 'DELETE', url: sharedUrl, headers: admin.headers })).statusCode).toBe(
      204,
    );
    expect((await list(agent.headers)).data).toHaveLength(0);
  });

  it('refuses bad input with problem bodies and hides other workspaces', async () => {
    const { admin } = await setup();
    const bad = await create(admin.headers, { title: '', body: 'x', shortcut: 'has space' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({ type: 'urn:rapport:problem:validation_failed', status: 400 });
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['body.title', 'body.shortcut']),
    );
    expect((await create(admin.headers, { title: 'x', body: 'y', extra: 1 })).statusCode).toBe(400);
    const shared = (await create(admin.headers, { title: 'Shared', body: 'Hi', shared: true })).json();

    const other = await makeWorkspace(database.db);
    const otherHeaders = await bearerFor(database, other.admin.actor);
    const url = `/api/v1/canned-responses/${shared.id}`;
    expect((await app.inject({ method: 'GET', url, headers: otherHeaders })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url, headers: otherHeaders })).json().type).toBe(
      'urn:rapport:problem:not_found',
    );
    const ticket = await makeTicket(database.db, other.admin.actor);
    const render = await app.inject({
      method: 'POST',
      url: `${url}/render`,
      headers: admin.headers,
      payload: { ticketId: ticket.id },
    });
    expect(render.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/canned-responses' })).statusCode).toBe(401);
  });

  it('renders placeholders from the ticket, customer, agent and workspace and counts each use', async () => {
    const { workspace, admin, light } = await setup();
    const ticket = await makeTicket(database.db, admin.actor, {
      subject: 'Lid cracked',
      customer: { email: 'Mary.Smith@Example.test', name: 'Mary Ann Smith' },
    });
    const body =
      'Hi {{customer.first_name}} {{ customer.last_name }} <{{customer.email}}> ({{customer.name}}),\n' +
      'about #{{ticket.number}} "{{ticket.subject}}": {{order.id}} and {{ order.id }}.\n' +
      '{{agent.first_name}} ({{agent.name}}), {{workspace.name}}';
    const canned = (await create(admin.headers, { title: 'Reply', body, shared: true })).json();
    const render = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/canned-responses/${canned.id}/render`,
        headers,
        payload: { ticketId: ticket.id },
      });
    const rendered = await render(admin.headers);
    expect(rendered.statusCode).toBe(200);
    const [adminFirst] = admin.name.split(' ');
    expect(rendered.json()).toEqual({
      body:
        'Hi Mary Ann Smith <mary.smith@example.test> (Mary Ann Smith),\n' +
        `about #${ticket.number} "Lid cracked": {{order.id}} and {{ order.id }}.\n` +
        `${adminFirst} (${admin.name}), ${workspace.name}`,
      missing: ['order.id'],
    });
    // The agent is whoever renders it; light agents use responses in internal notes.
    const forLight = (await render(light.headers)).json();
    expect(forLight.body).toContain(`(${light.name})`);
    const after = await app.inject({
      method: 'GET',
      url: `/api/v1/canned-responses/${canned.id}`,
      headers: admin.headers,
    });
    expect(after.json().usageCount).toBe(2);

    const bad = await app.inject({
      method: 'POST',
      url: `/api/v1/canned-responses/${canned.id}/render`,
      headers: admin.headers,
      payload: { ticketId: 'not-a-uuid' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('leaves placeholders visible when the customer has no name', async () => {
    const { admin } = await setup();
    const ticket = await makeTicket(database.db, admin.actor, { customer: { phone: '+44 7700 900123' } });
    const canned = (
      await create(admin.headers, { title: 'Hi', body: 'Hi {{customer.first_name}} ({{customer.email}})' })
    ).json();
    const rendered = await app.inject({
      method: 'POST',
      url: `/api/v1/canned-responses/${canned.id}/render`,
      headers: admin.headers,
      payload: { ticketId: ticket.id },
    });
    expect(rendered.json()).toEqual({
      body: 'Hi {{customer.first_name}} ({{customer.email}})',
      missing: ['customer.first_name', 'customer.email'],
    });
  });
});
