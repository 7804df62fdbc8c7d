import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, signedInTeam, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { defaultCoachRules } from './coach-rules.ts';

describeEachDatabase('reply coach routes', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const rulesUrl = '/api/v1/intel/coach/rules';
  const check = (headers: Record<string, string>, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/v1/intel/coach/check', headers, payload });

  it('serves the English defaults until an admin saves the workspace’s own rules', async () => {
    const { admin, agent, light } = await signedInTeam(database);
    const initial = await app.inject({ method: 'GET', url: rulesUrl, headers: light.headers });
    expect(initial.statusCode).toBe(200);
    expect(initial.json()).toEqual({ rules: defaultCoachRules, custom: false });

    const patch = { style: { formality: 'casual', banned: [{ phrase: 'ticket', replacement: 'request' }] } };
    const refused = await app.inject({
      method: 'PUT',
      url: rulesUrl,
      headers: agent.headers,
      payload: patch,
    });
    expect(refused.statusCode).toBe(403);
    const saved = await app.inject({ method: 'PUT', url: rulesUrl, headers: admin.headers, payload: patch });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().custom).toBe(true);
    expect(saved.json().rules.style).toEqual({ ...defaultCoachRules.style, ...patch.style });
    expect(saved.json().rules.jargon).toEqual(defaultCoachRules.jargon);
    const again = await app.inject({
      method: 'PUT',
      url: rulesUrl,
      headers: admin.headers,
      payload: { maxGrade: 6, penalties: { style: 10 } },
    });
    expect(again.json().rules).toMatchObject({ maxGrade: 6, style: { formality: 'casual' } });
    expect(again.json().rules.penalties).toEqual({ ...defaultCoachRules.penalties, style: 10 });

    const result = await check(agent.headers, { text: 'Hey, I will close the ticket today.' });
    expect(result.statusCode).toBe(200);
    expect(result.json().flags).toEqual([
      expect.objectContaining({
        rule: 'style',
        params: { phrase: 'ticket', replacement: 'request' },
        penalty: 10,
      }),
    ]);
    expect(result.json().score).toBe(90);

    // Another workspace keeps the defaults.
    const other = await makeWorkspace(database.db);
    const otherHeaders = await bearerFor(database, other.admin.actor);
    expect((await app.inject({ method: 'GET', url: rulesUrl, headers: otherHeaders })).json().custom).toBe(
      false,
    );
    const theirs = await check(otherHeaders, { text: 'Hey, I will close the ticket today.' });
    expect(theirs.json().flags.map((f: { params: { phrase: string } }) => f.params.phrase)).toEqual(['Hey']);
  });

  it('refuses malformed rules with a problem body', async () => {
    const { admin } = await signedInTeam(database);
    const bad = await app.inject({
      method: 'PUT',
      url: rulesUrl,
      headers: admin.headers,
      payload: { maxGrade: 'high', jargon: [{ phrase: '' }], extra: true },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().type).toBe('urn:rapport:problem:validation_failed');
  });

  it("checks a draft against the ticket's last customer message, only inside the workspace", async () => {
    const { admin, light } = await signedInTeam(database);
    const ticket = await makeTicket(database.db, admin.actor, {
      message: { body: 'This is the THIRD time I write. Totally unacceptable!!' },
    });
    const text = 'Per our policy, refunds take 10 days.';
    const result = await check(light.headers, { text, ticketId: ticket.id });
    expect(result.statusCode).toBe(200);
    const body = result.json();
    expect(body.customerUpset).toBe(true);
    expect(body.flags.map((f: { rule: string }) => f.rule)).toEqual(['empathy', 'jargon']);
    expect(body.flags[1].fix.edits).toEqual([{ start: 0, end: 14, text: 'Normally' }]);
    expect(body.score).toBe(100 - 25 - 8);
    const calm = await check(light.headers, { text, customerText: 'Hello, a quick question.' });
    expect(calm.json().customerUpset).toBe(false);

    const other = await makeWorkspace(database.db);
    const otherHeaders = await bearerFor(database, other.admin.actor);
    const hidden = await check(otherHeaders, { text, ticketId: ticket.id });
    expect(hidden.statusCode).toBe(404);
    expect((await check({}, { text })).statusCode).toBe(401);
    expect((await check(admin.headers, { text: 'x'.repeat(20_001) })).statusCode).toBe(400);
  });
});
