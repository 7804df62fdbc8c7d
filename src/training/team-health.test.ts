import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { signedInTeam, testApp } from '../../test/support/http.ts';
import { messages } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { addMessage } from '../tickets/message-service.ts';
import { withinHours } from './team-health.ts';

it('counts a reply inside business hours only between start and end on that weekday', () => {
  const hours = [{ day: 1, start: '08:00', end: '18:00' }];
  expect(withinHours(hours, 1, '08:00')).toBe(true);
  expect(withinHours(hours, 1, '18:00')).toBe(false);
  expect(withinHours(hours, 6, '10:00')).toBe(false);
});

describeEachDatabase('team health', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  it('shows workload, after-hours replies, difficult conversations and the trend, flagging overload', async () => {
    const { admin, agent, light } = await signedInTeam(database);
    const at = async (id: string, iso: string) =>
      database.db
        .update(messages)
        .set({ createdAt: new Date(iso) })
        .where(eq(messages.id, id));
    const busy = [];
    for (let i = 0; i < 3; i++)
      busy.push(
        await makeTicket(database.db, admin.actor, {
          assigneeId: agent.id,
          message: { body: 'Hello, a question.' },
        }),
      );
    await makeTicket(database.db, admin.actor, { assigneeId: admin.id });
    const angry = await makeTicket(database.db, admin.actor, {
      assigneeId: agent.id,
      message: { body: 'This is terrible and I am furious. Worst service ever!' },
    });
    // The customer messages of the factory tickets fall inside the window too.
    for (const m of await database.db.select().from(messages).where(eq(messages.ticketId, angry.id)))
      await at(m.id, '2026-03-02T09:00:00Z');
    const reply = async (ticketId: string, iso: string) => {
      const { message } = await addMessage(database.db, agent.actor, ticketId, {
        kind: 'public_reply',
        body: 'On it.',
      });
      await at(message.id, iso);
    };
    await reply(angry.id, '2026-03-02T10:00:00Z'); // Monday, working hours
    await reply(busy[0]!.id, '2026-03-07T10:00:00Z'); // Saturday
    await reply(busy[1]!.id, '2026-02-24T10:00:00Z'); // the window before
    const url = '/api/v1/team-health?from=2026-03-01T00:00:00Z&to=2026-03-15T00:00:00Z';
    expect((await app.inject({ url, headers: agent.headers })).statusCode).toBe(403);
    const res = await app.inject({ url, headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.timeZone).toBe('UTC');
    const mine = body.agents.find((a: { agentId: string }) => a.agentId === agent.id);
    expect(mine).toMatchObject({
      openTickets: 4,
      replies: 2,
      repliesPerDay: 0.1,
      afterHoursReplies: 1,
      afterHoursShare: 0.5,
      ticketsHandled: 2,
      difficultHandled: 1,
      difficultShare: 0.5,
      trend: 100,
      weekly: [{ week: '2026-03-02', replies: 2 }],
      overloaded: true,
      reasons: ['4 open tickets against a team median of 2.5', '50% of replies after hours'],
    });
    expect(body.agents.map((a: { agentId: string }) => a.agentId)).not.toContain(light.id);
    expect(body.team).toEqual({ medianOpenTickets: 2.5, replies: 2, afterHoursShare: 0.5 });
    const bad = await app.inject({
      url: '/api/v1/team-health?from=2026-03-01T00:00:00Z&to=2025-03-01T00:00:00Z',
      headers: admin.headers,
    });
    expect(bad.statusCode).toBe(400);
  });
});
