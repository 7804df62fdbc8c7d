import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { signedInTeam, testApp } from '../../test/support/http.ts';
import { messages, ticketEvents, tickets } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

describeEachDatabase('macros API', (kind: DatabaseKind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: object,
    payload?: object,
  ) => app.inject({ method, url, headers: headers as Record<string, string>, ...(payload && { payload }) });
  const waiting = {
    name: 'Ask for the order number',
    description: 'Pending until the customer answers',
    actions: [
      { type: 'reply', body: 'Hi {{customer.first_name}}, what is your order number?' },
      { type: 'set_status', value: 'pending' },
      { type: 'add_tags', tags: ['Needs Info'] },
    ],
  };

  it('lets admins keep macros, every agent list them, and checks names, actions and roles', async () => {
    const { admin, agent, light } = await signedInTeam(database);
    expect((await call('POST', '/api/v1/macros', agent.headers, waiting)).statusCode).toBe(403);
    const bad = { ...waiting, actions: [{ type: 'set_status', value: 'closed' }] };
    const invalid = await call('POST', '/api/v1/macros', admin.headers, bad);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.headers['content-type']).toContain('application/problem+json');
    const created = await call('POST', '/api/v1/macros', admin.headers, waiting);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().actions[2]).toEqual({ type: 'add_tags', tags: ['needs-info'] });
    expect((await call('POST', '/api/v1/macros', admin.headers, waiting)).statusCode).toBe(409);
    const other = await call('POST', '/api/v1/macros', admin.headers, { ...waiting, name: 'Close' });
    const url = `/api/v1/macros/${other.json().id}`;
    expect((await call('PATCH', url, admin.headers, { name: waiting.name })).statusCode).toBe(409);
    expect((await call('PATCH', url, agent.headers, { name: 'Mine' })).statusCode).toBe(403);
    expect((await call('PATCH', url, admin.headers, { name: 'Archive' })).json().name).toBe('Archive');
    for (const viewer of [agent, light]) {
      const list = await call('GET', '/api/v1/macros', viewer.headers);
      expect(list.statusCode).toBe(200);
      expect(list.json().data.map((m: { name: string }) => m.name)).toEqual(['Archive', waiting.name]);
    }
    expect((await call('DELETE', url, admin.headers)).statusCode).toBe(204);
    expect((await call('DELETE', url, admin.headers)).statusCode).toBe(404);
  });

  it('applies a macro as the agent in one call: reply, fields and a macro.applied history line', async () => {
    const { admin, agent, light } = await signedInTeam(database);
    const macro = (await call('POST', '/api/v1/macros', admin.headers, waiting)).json();
    const ticket = await makeTicket(database.db, admin.actor, {
      customer: { email: 'sam@example.test', name: 'Sam Lowry' },
    });
    const url = `/api/v1/tickets/${ticket.id}/macros/${macro.id}`;
    expect((await call('POST', url, light.headers)).statusCode).toBe(403);
    const applied = await call('POST', url, agent.headers);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toMatchObject({ id: ticket.id, status: 'pending', tags: ['needs-info'] });
    const said = await database.db
      .select()
      .from(messages)
      .where(and(eq(messages.ticketId, ticket.id), eq(messages.kind, 'public_reply')));
    expect(said.map((m) => [m.bodyText, m.authorUserId])).toEqual([
      ['Hi Sam, what is your order number?', agent.id],
    ]);
    const history = await database.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, ticket.id), eq(ticketEvents.type, 'macro.applied')))
      .orderBy(asc(ticketEvents.id));
    expect(history).toHaveLength(1);
    expect(history[0]!.actorUserId).toBe(agent.id);
    expect(history[0]!.changes).toMatchObject({
      macro: { id: macro.id, name: waiting.name },
      changes: { status: 'pending', tags: ['needs-info'] },
      effects: [{ rule: macro.id, type: 'reply' }],
    });
  });

  it('keeps macros and tickets to their workspace, and writes nothing when an action fails', async () => {
    const mine = await signedInTeam(database);
    const theirs = await signedInTeam(database);
    const macro = (await call('POST', '/api/v1/macros', mine.admin.headers, waiting)).json();
    const myTicket = await makeTicket(database.db, mine.admin.actor);
    const theirTicket = await makeTicket(database.db, theirs.admin.actor);
    const apply = (ticketId: string, macroId: string, headers: object) =>
      call('POST', `/api/v1/tickets/${ticketId}/macros/${macroId}`, headers);
    expect((await apply(theirTicket.id, macro.id, mine.agent.headers)).statusCode).toBe(404);
    expect((await apply(myTicket.id, macro.id, theirs.agent.headers)).statusCode).toBe(404);
    expect(
      (await call('PATCH', `/api/v1/macros/${macro.id}`, theirs.admin.headers, { name: 'x' })).statusCode,
    ).toBe(404);
    expect((await call('GET', '/api/v1/macros', theirs.agent.headers)).json().data).toEqual([]);

    // A team of another workspace: the tag is not added either, the whole macro is one transaction.
    const broken = await call('POST', '/api/v1/macros', mine.admin.headers, {
      name: 'Broken',
      actions: [
        { type: 'add_tags', tags: ['moved'] },
        { type: 'set_team', value: crypto.randomUUID() },
      ],
    });
    const failed = await apply(myTicket.id, broken.json().id, mine.agent.headers);
    expect(failed.statusCode).toBeGreaterThanOrEqual(400);
    expect(failed.statusCode).toBeLessThan(500);
    const [stored] = await database.db.select().from(tickets).where(eq(tickets.id, myTicket.id));
    expect(stored!.tags).toEqual([]);
  });
});
