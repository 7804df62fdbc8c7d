import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { getTicket } from './ticket-queries.ts';
import { updateTicket } from './ticket-service.ts';

describeEachDatabase('bulk ticket routes', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const bulk = (headers: Record<string, string>, payload: unknown) =>
    app.inject({ method: 'POST', url: '/api/v1/tickets/bulk', headers, payload: payload as object });

  it('changes every ticket it can and reports each one that failed', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const agent = await makeUser(database.db, workspace.id, 'agent');
    const headers = await bearerFor(database, agent.actor);
    const one = await makeTicket(database.db, admin.actor, { tags: ['old'] });
    const two = await makeTicket(database.db, admin.actor, { tags: ['old', 'keep'] });
    const closed = await makeTicket(database.db, admin.actor);
    await updateTicket(database.db, admin.actor, closed.id, { status: 'solved' });
    await updateTicket(database.db, admin.actor, closed.id, { status: 'closed' });
    const elsewhere = await makeTicket(database.db, (await makeWorkspace(database.db)).admin.actor);

    const response = await bulk(headers, {
      ticketIds: [one.id, closed.id, two.id, elsewhere.id, one.id],
      changes: {
        status: 'pending',
        assigneeId: agent.id,
        priority: 'high',
        addTags: ['bulk'],
        removeTags: ['old'],
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().results).toEqual([
      { id: one.id, ok: true },
      {
        id: closed.id,
        ok: false,
        error: { type: 'urn:rapport:problem:invalid_state', detail: expect.stringContaining('closed') },
      },
      { id: two.id, ok: true },
      {
        id: elsewhere.id,
        ok: false,
        error: { type: 'urn:rapport:problem:not_found', detail: 'Ticket not found' },
      },
    ]);
    for (const [ticket, tags] of [
      [one, ['bulk']],
      [two, ['bulk', 'keep']],
    ] as const) {
      expect(await getTicket(database.db, admin.actor, ticket.id)).toMatchObject({
        status: 'pending',
        priority: 'high',
        assigneeId: agent.id,
        tags,
      });
    }
    expect((await getTicket(database.db, admin.actor, closed.id)).status).toBe('closed');
    const events = await app.inject({ method: 'GET', url: `/api/v1/tickets/${one.id}/events`, headers });
    expect(events.json().data.map((e: { type: string }) => e.type)).toEqual([
      'ticket.created',
      'ticket.updated',
    ]);
  });

  it('reports a change the service refuses for every ticket, and checks roles and input', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const ticket = await makeTicket(database.db, admin.actor);
    const stranger = await makeUser(database.db, (await makeWorkspace(database.db)).workspace.id, 'agent');
    const refused = await bulk(headers, { ticketIds: [ticket.id], changes: { assigneeId: stranger.id } });
    expect(refused.json().results).toEqual([
      {
        id: ticket.id,
        ok: false,
        error: { type: 'urn:rapport:problem:validation_failed', detail: expect.any(String) },
      },
    ]);

    const light = await makeUser(database.db, workspace.id, 'light');
    const asLight = await bulk(await bearerFor(database, light.actor), {
      ticketIds: [ticket.id],
      changes: { status: 'open' },
    });
    expect(asLight.statusCode).toBe(403);
    expect(asLight.json().type).toBe('urn:rapport:problem:forbidden');

    for (const payload of [
      { ticketIds: [], changes: { status: 'open' } },
      { ticketIds: [ticket.id], changes: {} },
      { ticketIds: [ticket.id], changes: { subject: 'Not a bulk change' } },
      { ticketIds: ['nope'], changes: { status: 'open' } },
      { ticketIds: Array.from({ length: 501 }, () => ticket.id), changes: { status: 'open' } },
    ]) {
      const response = await bulk(headers, payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(response.json().type).toBe('urn:rapport:problem:validation_failed');
    }
  });
});
