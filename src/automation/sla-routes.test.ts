import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { signedInTeam, testDeps } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { createInlineQueue } from '../platform/queue/inline-queue.ts';
import { slaEngine } from './sla-engine.ts';
import { runSlaCheck } from './sla-jobs.ts';

type Listed = {
  id: string;
  sla: { metric: string; state: string; dueAt: string; breachedAt: string | null };
};

describeEachDatabase('SLA API', (kind: DatabaseKind) => {
  let database: Database;
  let app: App;
  const clock = fixedClock(new Date());
  const queue = createInlineQueue(clock);
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    deps = { ...testDeps(database, { clock }), queue };
    await queue.work('sla.check', (job) => runSlaCheck(deps, job));
    app = await buildApp(deps);
    await app.ready();
  });
  afterAll(() => app.close());

  it('lets admins define business hours and policies, and agents read a ticket’s clocks', async () => {
    const team = await signedInTeam(database);
    const { admin, agent } = team;
    const post = (url: string, payload: unknown, headers = admin.headers) =>
      app.inject({ method: 'POST', url, payload: payload as object, headers });

    expect(
      (
        await post('/api/v1/admin/schedules', {
          name: 'Paris',
          timeZone: 'Mars/Olympus',
          hours: [{ day: 1, start: '09:00', end: '17:00' }],
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await post('/api/v1/admin/schedules', {
          name: 'Paris',
          timeZone: 'Europe/Paris',
          hours: [{ day: 1, start: '17:00', end: '09:00' }],
        })
      ).statusCode,
    ).toBe(400);
    const hours = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' }));
    expect(
      (
        await post(
          '/api/v1/admin/schedules',
          { name: 'Paris', timeZone: 'Europe/Paris', hours },
          agent.headers,
        )
      ).statusCode,
    ).toBe(403);
    const schedule = await post('/api/v1/admin/schedules', {
      name: 'Paris',
      timeZone: 'Europe/Paris',
      hours,
      holidays: ['2026-12-25'],
    });
    expect(schedule.statusCode).toBe(201);
    const policy = await post('/api/v1/admin/sla-policies', {
      name: 'Standard',
      scheduleId: schedule.json().id,
      firstReplyMinutes: 60,
      resolutionMinutes: 600,
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const listed = await app.inject({ url: '/api/v1/admin/sla-policies', headers: admin.headers });
    expect(listed.json().data).toEqual([
      expect.objectContaining({ name: 'Standard', firstReplyMinutes: 60, pauseWhilePending: true }),
    ]);
    const inUse = await app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/schedules/${schedule.json().id}`,
      headers: admin.headers,
    });
    expect(inUse.statusCode).toBe(409);

    const ticket = await makeTicket(database.db, agent.actor);
    await createOutboxRelay({
      database,
      handlers: [slaEngine(deps.queue)],
      logger: deps.logger,
      workspaceId: team.workspace.id,
    }).drain();
    const startedAt = new Date(ticket.createdAt);
    clock.set(new Date(startedAt.getTime() + 30 * 60_000));
    const read = async () =>
      (await app.inject({ url: `/api/v1/tickets/${ticket.id}/sla`, headers: agent.headers })).json().data;
    const early = await read();
    expect(early.map((sla: { metric: string }) => sla.metric).sort()).toEqual(['first_reply', 'resolution']);
    const first = early.find((sla: { metric: string }) => sla.metric === 'first_reply');
    expect(first).toMatchObject({ state: 'running', targetMinutes: 60 });
    // The console's warning starts at the policy's warnMinutes (30 by default) before the due time.
    expect(Date.parse(first.dueAt) - Date.parse(first.warnAt)).toBe(30 * 60_000);
    expect(first.minutesLeft).toBeCloseTo(30, 0);

    const view = async (query: string) =>
      (await app.inject({ url: `/api/v1/slas?${query}`, headers: agent.headers })).json().data;
    expect(await view('state=breaching_soon&withinMinutes=45')).toEqual([
      expect.objectContaining({ ticketId: ticket.id, metric: 'first_reply', breachedAt: null }),
    ]);
    expect(await view('state=breached')).toEqual([]);

    clock.set(new Date(startedAt.getTime() + 90 * 60_000));
    await queue.runDue();
    expect(await view('state=breached')).toEqual([
      expect.objectContaining({ ticketId: ticket.id, metric: 'first_reply', number: ticket.number }),
    ]);
    const late = (await read()).find((sla: { metric: string }) => sla.metric === 'first_reply');
    expect(late.state).toBe('breached');
    expect(late.minutesLeft).toBeCloseTo(-30, 0);

    const other = await signedInTeam(database);
    const elsewhere = await app.inject({
      url: `/api/v1/tickets/${ticket.id}/sla`,
      headers: other.agent.headers,
    });
    expect(elsewhere.statusCode).toBe(404);
  });

  it('filters breached and breaching-soon tickets and gives each listed ticket its nearest clock', async () => {
    const team = await signedInTeam(database);
    const { admin, agent } = team;
    const policy = (name: string, priorities: string[], firstReplyMinutes: number) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/admin/sla-policies',
        headers: admin.headers,
        payload: { name, conditions: { priorities }, firstReplyMinutes },
      });
    expect((await policy('Urgent', ['urgent'], 30)).statusCode).toBe(201);
    expect((await policy('High', ['high'], 90)).statusCode).toBe(201);
    expect((await policy('Rest', ['low', 'normal'], 600)).statusCode).toBe(201);
    const urgent = await makeTicket(database.db, agent.actor, { priority: 'urgent' });
    const high = await makeTicket(database.db, agent.actor, { priority: 'high' });
    const normal = await makeTicket(database.db, agent.actor, { priority: 'normal' });
    const relay = () =>
      createOutboxRelay({
        database,
        handlers: [slaEngine(deps.queue)],
        logger: deps.logger,
        workspaceId: team.workspace.id,
      }).drain();
    await relay();

    const list = async (query: string, headers = agent.headers) => {
      const response = await app.inject({ url: `/api/v1/tickets?${query}`, headers });
      expect(response.statusCode, response.body).toBe(200);
      return response.json().data as Listed[];
    };
    const ids = (rows: Listed[]) => rows.map((row) => row.id).sort();
    const start = new Date(urgent.createdAt).getTime();
    clock.set(new Date(start + 45 * 60_000));

    // Overdue counts as breached before the breach job has run.
    expect(ids(await list('sla=breached'))).toEqual([urgent.id]);
    expect(ids(await list('sla=breaching'))).toEqual([high.id]);
    await queue.runDue();
    expect(ids(await list('sla=breached'))).toEqual([urgent.id]);
    expect((await list('sla=breached&priority=high')).length).toBe(0);
    expect((await app.inject({ url: '/api/v1/tickets?sla=late', headers: agent.headers })).statusCode).toBe(
      400,
    );
    const other = await signedInTeam(database);
    expect(await list('sla=breached', other.agent.headers)).toEqual([]);

    const all = new Map((await list('limit=10')).map((row) => [row.id, row.sla]));
    expect(all.get(urgent.id)).toMatchObject({
      metric: 'first_reply',
      state: 'breached',
      breachedAt: expect.any(String),
    });
    expect(all.get(high.id)).toMatchObject({ state: 'running', breachedAt: null });
    const highDue = new Date(all.get(high.id)!.dueAt).getTime() - high.createdAt.getTime();
    expect(Math.abs(highDue - 90 * 60_000)).toBeLessThan(5_000);
    expect(all.get(normal.id)).toMatchObject({ state: 'running' });

    const reply = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${urgent.id}/messages`,
      headers: agent.headers,
      payload: { body: 'On it.' },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    await relay();
    expect(await list('sla=breached')).toEqual([]);
    const answered = (await list('limit=10')).find((row) => row.id === urgent.id);
    expect(answered?.sla).toBeNull();
  });
});
