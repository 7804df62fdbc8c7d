import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { signedInTeam, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { createLogger } from '../platform/logger.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { createTeam } from '../teams/team-service.ts';
import { triggerEngine } from './trigger-engine.ts';
import { createTrigger } from './trigger-service.ts';

describeEachDatabase('agent availability, capacity and skills API', (kind: DatabaseKind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const call = (method: 'GET' | 'PUT' | 'PATCH', url: string, headers: object, payload?: object) =>
    app.inject({ method, url, headers: headers as Record<string, string>, ...(payload && { payload }) });

  it('lets each agent set their own status, admins set capacity and skills, and everyone read them', async () => {
    const { admin, agent, light } = await signedInTeam(database);
    const away = await call('PUT', '/api/v1/agent-profiles/me/status', agent.headers, { status: 'away' });
    expect(away.statusCode, away.body).toBe(200);
    expect(away.json()).toMatchObject({ userId: agent.id, status: 'away', capacity: null, skills: [] });
    const bad = await call('PUT', '/api/v1/agent-profiles/me/status', agent.headers, { status: 'asleep' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(
      (await call('PUT', '/api/v1/agent-profiles/me/status', light.headers, { status: 'offline' }))
        .statusCode,
    ).toBe(200);

    const url = `/api/v1/agent-profiles/${agent.id}`;
    const skills = { capacity: 5, skills: ['Billing', 'fr', 'billing', 'Gift Cards'] };
    expect((await call('PATCH', url, agent.headers, skills)).statusCode).toBe(403);
    expect((await call('PATCH', url, admin.headers, {})).statusCode).toBe(400);
    expect((await call('PATCH', url, admin.headers, { capacity: -1 })).statusCode).toBe(400);
    const set = await call('PATCH', url, admin.headers, skills);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      status: 'away',
      capacity: 5,
      skills: ['billing', 'fr', 'gift-cards'],
    });
    // Another workspace's member is not there to edit.
    const elsewhere = await signedInTeam(database);
    const foreign = await call(
      'PATCH',
      `/api/v1/agent-profiles/${elsewhere.agent.id}`,
      admin.headers,
      skills,
    );
    expect(foreign.statusCode).toBe(404);

    await makeTicket(database.db, admin.actor, { assigneeId: agent.id });
    const list = await call('GET', '/api/v1/agent-profiles', light.headers);
    expect(list.statusCode).toBe(200);
    const byId = new Map(list.json().data.map((p: { userId: string }) => [p.userId, p]));
    expect(byId.size).toBe(3);
    expect(byId.get(agent.id)).toMatchObject({ status: 'away', capacity: 5, openTickets: 1 });
    expect(byId.get(light.id)).toMatchObject({ status: 'offline' });
    expect(byId.get(admin.id)).toMatchObject({ status: 'online', capacity: null, openTickets: 0 });
  });

  it('routes by what the API set: only online agents, within capacity, by skill', async () => {
    const { workspace, admin, agent } = await signedInTeam(database);
    const team = await createTeam(database.db, admin.actor, {
      name: 'Desk',
      memberIds: [admin.id, agent.id],
    });
    await createTrigger(database.db, admin.actor, {
      name: 'Skills',
      events: ['ticket.created'],
      conditions: { all: [{ field: 'assigneeId', op: 'absent' }] },
      actions: [{ type: 'route', strategy: 'skills' }],
    });
    const relay = createOutboxRelay({
      database,
      handlers: [triggerEngine],
      logger: createLogger('silent'),
      workspaceId: workspace.id,
    });
    const open = async () => {
      const ticket = await makeTicket(database.db, admin.actor, { teamId: team.id, tags: ['refunds'] });
      await relay.drain();
      const shown = await call('GET', `/api/v1/tickets/${ticket.id}`, admin.headers);
      return shown.json().assigneeId as string | null;
    };
    for (const member of [admin, agent])
      await call('PATCH', `/api/v1/agent-profiles/${member.id}`, admin.headers, { skills: ['Refunds'] });
    await call('PATCH', `/api/v1/agent-profiles/${admin.id}`, admin.headers, { capacity: 0 });
    await call('PUT', '/api/v1/agent-profiles/me/status', agent.headers, { status: 'away' });
    expect(await open()).toBeNull();
    await call('PUT', '/api/v1/agent-profiles/me/status', agent.headers, { status: 'online' });
    expect(await open()).toBe(agent.id);
    await call('PATCH', `/api/v1/agent-profiles/${agent.id}`, admin.headers, { capacity: 1 });
    expect(await open()).toBeNull();
    await call('PATCH', `/api/v1/agent-profiles/${admin.id}`, admin.headers, { capacity: null });
    expect(await open()).toBe(admin.id);
  });
});
