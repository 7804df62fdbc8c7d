import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

describeEachDatabase('onboarding routes', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const onboarding = async (headers: Record<string, string>) => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/onboarding', headers });
    expect(response.statusCode).toBe(200);
    const body = response.json() as { empty: boolean; checklist: { key: string; done: boolean }[] };
    return { empty: body.empty, ...Object.fromEntries(body.checklist.map((item) => [item.key, item.done])) };
  };

  it('ticks off a channel and agents as real use begins', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const light = await makeUser(database.db, workspace.id, 'light');
    const headers = await bearerFor(database, light.actor);
    expect(await onboarding(headers)).toEqual({ empty: true, channel: false, agents: true, demo: false });

    const alone = await makeWorkspace(database.db);
    const aloneHeaders = await bearerFor(database, alone.admin.actor);
    expect(await onboarding(aloneHeaders)).toEqual({
      empty: true,
      channel: false,
      agents: false,
      demo: false,
    });
    await makeTicket(database.db, alone.admin.actor, { channel: 'api' });
    expect(await onboarding(aloneHeaders)).toEqual({
      empty: false,
      channel: false,
      agents: false,
      demo: false,
    });
    await makeTicket(database.db, alone.admin.actor, { channel: 'email' });
    expect(await onboarding(aloneHeaders)).toMatchObject({ channel: true });

    const seed = await app.inject({ method: 'POST', url: '/api/v1/demo/seed', headers: aloneHeaders });
    expect(seed.statusCode).toBe(409);
    expect(seed.json().type).toBe('urn:rapport:problem:conflict');
    expect(admin.actor.role).toBe('admin');
  });

  it('loads the demo into an empty workspace once, for admins only', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const agent = await makeUser(database.db, workspace.id, 'agent');
    const headers = await bearerFor(database, admin.actor);
    for (const role of ['agent', 'light'] as const) {
      const member = role === 'agent' ? agent : await makeUser(database.db, workspace.id, role);
      const refused = await app.inject({
        method: 'POST',
        url: '/api/v1/demo/seed',
        headers: await bearerFor(database, member.actor),
      });
      expect(refused.statusCode, role).toBe(403);
    }

    const seeded = await app.inject({ method: 'POST', url: '/api/v1/demo/seed', headers });
    expect(seeded.statusCode).toBe(201);
    expect(seeded.json()).toMatchObject({
      tickets: 300,
      customers: 60,
      teams: 2,
      password: expect.any(String),
    });
    expect(seeded.json().agents).toHaveLength(3);
    // The demo's own agents and customers do not count as a connected channel or invited agents.
    expect(await onboarding(headers)).toEqual({ empty: false, channel: false, agents: true, demo: true });
    const list = await app.inject({ method: 'GET', url: '/api/v1/tickets?limit=1', headers });
    expect(list.json().data).toHaveLength(1);

    const again = await app.inject({ method: 'POST', url: '/api/v1/demo/seed', headers });
    expect(again.statusCode).toBe(409);

    const other = await makeWorkspace(database.db);
    expect(await onboarding(await bearerFor(database, other.admin.actor))).toMatchObject({
      empty: true,
      demo: false,
    });
    // The demo writes 300 tickets through the real services: slow on a busy 2-core machine.
  }, 300_000);
});
