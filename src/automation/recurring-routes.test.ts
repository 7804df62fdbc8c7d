import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { signedInTeam, testApp } from '../../test/support/http.ts';
import { tickets } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { createTeam } from '../teams/team-service.ts';

const url = '/api/v1/admin/recurring-tickets';
const body = (extra: Record<string, unknown> = {}) => ({
  name: 'Monthly invoice run',
  customer: { email: 'finance@example.test', name: 'Fin Ance' },
  template: { subject: 'Send invoices for {{date}}', body: 'Dear {{customer.first_name}}, time to invoice.' },
  rule: { frequency: 'monthly', dayOfMonth: 'last', time: '16:00', timeZone: 'Europe/Berlin' },
  ...extra,
});

describeEachDatabase('recurring tickets API', (kind: DatabaseKind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  it('lets admins create, list, pause, resume, run now and delete a recurring ticket', async () => {
    const { admin, agent } = await signedInTeam(database);
    const team = await createTeam(database.db, admin.actor, { name: 'Finance' });
    const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, payload?: object) =>
      app.inject({ method, url: `${url}${path}`, headers: admin.headers, ...(payload ? { payload } : {}) });

    const refused = await app.inject({ method: 'POST', url, payload: body(), headers: agent.headers });
    expect(refused.statusCode).toBe(403);
    const created = await call(
      'POST',
      '',
      body({
        assigneeId: agent.id,
        teamId: team.id,
        template: {
          subject: 'Send invoices for {{date}}',
          body: 'Dear {{customer.first_name}}, time to invoice.',
          priority: 'high',
          tags: ['finance'],
        },
      }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const recurring = created.json();
    expect(recurring).toMatchObject({
      name: 'Monthly invoice run',
      active: true,
      assigneeId: agent.id,
      teamId: team.id,
      lastRunAt: null,
      lastError: null,
      rule: { frequency: 'monthly', dayOfMonth: 'last', time: '16:00', timeZone: 'Europe/Berlin' },
    });
    expect(new Date(recurring.nextRunAt).getTime()).toBeGreaterThan(Date.now());

    expect((await call('GET', '')).json().data.map((r: { id: string }) => r.id)).toEqual([recurring.id]);
    expect((await call('GET', `/${recurring.id}`)).json()).toEqual(recurring);

    const paused = await call('PATCH', `/${recurring.id}`, { active: false });
    expect(paused.json()).toMatchObject({ active: false, nextRunAt: null });
    const moved = await call('PATCH', `/${recurring.id}`, {
      active: true,
      rule: { frequency: 'daily', time: '07:15', timeZone: 'Asia/Tokyo' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const next = new Date(moved.json().nextRunAt);
    expect(next.getUTCHours() * 60 + next.getUTCMinutes()).toBe(22 * 60 + 15);

    const run = await call('POST', `/${recurring.id}/run`);
    expect(run.statusCode, run.body).toBe(201);
    const [ticket] = await database.db.select().from(tickets).where(eq(tickets.id, run.json().ticket.id));
    expect(ticket).toMatchObject({
      assigneeId: agent.id,
      teamId: team.id,
      priority: 'high',
      tags: ['finance'],
    });
    expect(ticket!.subject).toMatch(/^Send invoices for \d{4}-\d{2}-\d{2}$/);
    const after = (await call('GET', `/${recurring.id}`)).json();
    expect(after.lastRunAt).not.toBeNull();
    expect(after.nextRunAt).toBe(moved.json().nextRunAt);

    expect((await call('DELETE', `/${recurring.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/${recurring.id}`)).statusCode).toBe(404);

    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(doc.paths[`${url}/{id}/run`].post.tags).toEqual(['recurring-tickets']);
    expect(doc.paths[url].post.requestBody.content['application/json'].schema.properties.rule).toBeDefined();
  });

  it('answers bad input and other workspaces’ people with problems, and hides its rows from them', async () => {
    const { admin } = await signedInTeam(database);
    const other = await signedInTeam(database);
    const foreignTeam = await createTeam(database.db, other.admin.actor, { name: 'Elsewhere' });
    const foreignTicket = await app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: other.admin.headers,
      payload: { subject: 'Hi', customer: { email: 'stranger@example.test' }, message: { body: 'hi' } },
    });
    const foreignCustomerId = foreignTicket.json().customer.id as string;
    const post = (payload: object) => app.inject({ method: 'POST', url, payload, headers: admin.headers });
    const rule = (extra: object) => ({
      rule: { frequency: 'weekly', time: '09:00', timeZone: 'UTC', ...extra },
    });
    for (const [bad, path] of [
      [{ ...body(), rule: undefined }, 'rule'],
      [body(rule({ weekdays: [] })), 'rule.weekdays'],
      [body(rule({ weekdays: [7] })), 'rule.weekdays.0'],
      [body(rule({ weekdays: [1], time: '24:00' })), 'rule.time'],
      [body(rule({ weekdays: [1], timeZone: 'Mars/Olympus' })), 'rule.timeZone'],
      [
        body({ rule: { frequency: 'monthly', dayOfMonth: 32, time: '09:00', timeZone: 'UTC' } }),
        'rule.dayOfMonth',
      ],
      [body({ rule: { frequency: 'yearly', time: '09:00', timeZone: 'UTC' } }), 'rule.frequency'],
      [body({ template: { subject: ' ', body: 'x' } }), 'template.subject'],
      [
        body({ template: { subject: 'x', body: 'x', customFields: { nope: 1 } } }),
        'template.customFields.nope',
      ],
      [body({ customer: { id: foreignCustomerId } }), 'customer.id'],
      [body({ assigneeId: other.admin.id }), 'assigneeId'],
      [body({ teamId: foreignTeam.id }), 'teamId'],
      [body({ colour: 'blue' }), ''],
    ] as const) {
      const response = await post(bad);
      expect(response.statusCode, JSON.stringify(bad)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json(), JSON.stringify(bad)).toMatchObject({ status: 400, title: expect.any(String) });
      if (path) expect(JSON.stringify(response.json()), JSON.stringify(bad)).toContain(path);
    }

    const mine = await post(body());
    expect(mine.statusCode, mine.body).toBe(201);
    const id = mine.json().id as string;
    for (const [method, suffix] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/run'],
    ] as const) {
      const response = await app.inject({
        method,
        url: `${url}/${id}${suffix}`,
        headers: other.admin.headers,
        ...(method === 'PATCH' ? { payload: { active: false } } : {}),
      });
      expect(response.statusCode, `${method} ${suffix}`).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const still = await app.inject({ url: `${url}/${id}`, headers: admin.headers });
    expect(still.json()).toMatchObject({ active: true, lastRunAt: null });
    const list = await app.inject({ url, headers: other.admin.headers });
    expect(list.json().data).toEqual([]);
  });
});
