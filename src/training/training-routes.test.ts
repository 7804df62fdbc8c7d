import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, signedInTeam, testApp } from '../../test/support/http.ts';
import { messages, tickets } from '../db/schema/index.ts';
import { createArticle } from '../kb/kb-service.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { builtInScenario } from './scenario-library.ts';

describeEachDatabase('training routes', (kind) => {
  let database: Database;
  let app: App;
  const clock = fixedClock(new Date());
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database, { clock });
  });
  afterAll(() => app.close());

  type Headers = Record<string, string>;
  const post = (url: string, headers: Headers, payload: object) =>
    app.inject({ method: 'POST', url: `/api/v1/training${url}`, headers, payload });
  const get = (url: string, headers: Headers) =>
    app.inject({ method: 'GET', url: `/api/v1/training${url}`, headers });

  it('plays a scenario to a passing scorecard without touching tickets, and keeps the score history', async () => {
    const { admin, agent, workspace } = await signedInTeam(database);
    await createArticle(database.db, admin.actor, {
      title: 'Delayed shipment or lost parcel',
      body: 'If a parcel is late, we reship by express. Express arrives within 2 business days.',
      status: 'published',
    });
    const list = await get('/scenarios', agent.headers);
    expect(list.json().data.length).toBeGreaterThanOrEqual(12);
    expect(list.json().data[0]).not.toHaveProperty('definition');

    const started = await post('/sessions', agent.headers, { scenarioKey: 'delayed-shipment', seed: 7 });
    expect(started.statusCode).toBe(201);
    const session = started.json();
    expect(session.transcript[0]).toMatchObject({
      role: 'customer',
      text: builtInScenario('delayed-shipment')!.opening,
    });

    const replies = [
      "I'm so sorry your parcel is late. Could you send me your order number?",
      'Thanks. When do you need it by?',
      "I've sent a replacement by express today; it arrives within 2 business days.",
    ];
    let last: { ended: boolean; customer: string; session: { scorecard: unknown } } | undefined;
    for (const text of replies) {
      clock.advance(20_000);
      const res = await post(`/sessions/${session.id}/replies`, agent.headers, { text });
      expect(res.statusCode).toBe(200);
      last = res.json();
    }
    expect(last!.ended).toBe(true);
    const card = last!.session.scorecard as {
      outcome: string;
      overall: number;
      dimensions: Record<string, { score: number; quotes: { text: string }[] }>;
    };
    expect(card.outcome).toBe('passed');
    expect(card.dimensions.empathy!.score).toBe(100);
    expect(card.dimensions.discovery!.score).toBe(100);
    expect(card.dimensions.resolution!.score).toBe(100);
    expect(card.dimensions.timeToRespond!.score).toBe(100);
    expect(card.dimensions.kbConsistency).toMatchObject({
      score: 100,
      summary: '1 of 1 promises match the knowledge base.',
    });
    expect(card.dimensions.empathy!.quotes[0]!.text).toBe(replies[0]);

    const again = await post(`/sessions/${session.id}/replies`, agent.headers, { text: 'Anything else?' });
    expect(again.statusCode).toBe(422);
    const history = await get('/sessions', agent.headers);
    expect(history.json().data).toEqual([
      expect.objectContaining({ id: session.id, status: 'passed', score: card.overall }),
    ]);
    const [ticketCount] = await database.db
      .select({ value: count() })
      .from(tickets)
      .where(eq(tickets.workspaceId, workspace.id));
    expect(ticketCount?.value).toBe(0);
    const [messageCount] = await database.db
      .select({ value: count() })
      .from(messages)
      .where(eq(messages.workspaceId, workspace.id));
    expect(messageCount?.value).toBe(0);
  });

  it('finishing early fails the session with better phrasings, slow replies and KB mismatches quoted', async () => {
    const { admin, agent } = await signedInTeam(database);
    await createArticle(database.db, admin.actor, {
      title: 'Return policy and refund window',
      body: 'Returns are accepted within 30 days. After that we offer store credit.',
      status: 'published',
    });
    const { id } = (
      await post('/sessions', agent.headers, { scenarioKey: 'refund-after-window', seed: 1 })
    ).json();
    clock.advance(400_000);
    await post(`/sessions/${id}/replies`, agent.headers, {
      text: 'As per our policy, returns are accepted within 60 days only.',
    });
    const finished = await post(`/sessions/${id}/finish`, agent.headers, {});
    expect(finished.statusCode).toBe(200);
    const card = finished.json().scorecard;
    expect(finished.json().status).toBe('failed');
    expect(card.dimensions.clarity.quotes[0].better).toBe(
      'Normally, returns are accepted within 60 days only.',
    );
    expect(card.dimensions.empathy.quotes.at(-1).better).toMatch(/^I'm sorry for the trouble/);
    expect(card.dimensions.kbConsistency.score).toBe(0);
    expect(card.dimensions.kbConsistency.quotes[0].better).toBe('Returns are accepted within 30 days.');
    expect(card.dimensions.timeToRespond).toMatchObject({ score: 0, summary: 'Average reply after 400 s.' });
    expect(card.dimensions.discovery.quotes.map((q: { better: string }) => q.better)).toEqual([
      'When did you buy the jacket?',
      'Is it still unworn, with the tags on?',
    ]);
  });

  it('lets a lead assign a scenario and comment; agents see only their own', async () => {
    const { admin, agent, light } = await signedInTeam(database);
    const refused = await post('/assignments', agent.headers, {
      scenarioKey: 'vip-complaint',
      agentId: agent.id,
    });
    expect(refused.statusCode).toBe(403);
    const created = await post('/assignments', admin.headers, {
      scenarioKey: 'vip-complaint',
      agentId: agent.id,
      note: 'Practise before Monday',
    });
    expect(created.statusCode).toBe(201);
    const assignment = created.json();
    expect((await get('/assignments', agent.headers)).json().data).toEqual([assignment]);
    expect((await get('/assignments', light.headers)).json().data).toEqual([]);
    const wrong = await post('/sessions', agent.headers, {
      scenarioKey: 'wrong-item',
      assignmentId: assignment.id,
    });
    expect(wrong.statusCode).toBe(422);
    const { id } = (
      await post('/sessions', agent.headers, { scenarioKey: 'vip-complaint', assignmentId: assignment.id })
    ).json();
    await post(`/sessions/${id}/finish`, agent.headers, {});
    expect((await get('/assignments', agent.headers)).json().data[0].completedSessionId).toBe(id);

    const comment = await post(`/sessions/${id}/comments`, admin.headers, {
      body: 'Ask about the meeting first.',
    });
    expect(comment.statusCode).toBe(201);
    expect((await get(`/sessions/${id}/comments`, agent.headers)).json().data).toEqual([comment.json()]);
    expect((await get(`/sessions/${id}`, light.headers)).statusCode).toBe(404);
    expect((await get(`/sessions?agent_id=${agent.id}`, admin.headers)).json().data).toHaveLength(1);

    const other = await makeWorkspace(database.db);
    const outsider = await bearerFor(database, other.admin.actor);
    expect((await get(`/sessions/${id}`, outsider)).statusCode).toBe(404);
    const foreign = await post('/assignments', outsider, { scenarioKey: 'vip-complaint', agentId: agent.id });
    expect(foreign.statusCode).toBe(404);
  });

  it('stores admin-authored scenarios validated in full', async () => {
    const { admin, agent } = await signedInTeam(database);
    const { key: _key, ...base } = builtInScenario('wrong-item')!;
    const custom = { ...base, key: 'wrong-colour-vip', title: 'Wrong colour for a VIP' };
    expect((await post('/scenarios', agent.headers, custom)).statusCode).toBe(403);
    const created = await post('/scenarios', admin.headers, custom);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ key: 'wrong-colour-vip', builtIn: false, origin: 'custom' });
    expect((await post('/scenarios', admin.headers, custom)).statusCode).toBe(409);
    const clash = await post('/scenarios', admin.headers, { ...custom, key: 'wrong-item' });
    expect(clash.statusCode).toBe(409);
    const bad = await post('/scenarios', admin.headers, { ...custom, key: 'bad-one', persona: { name: '' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().type).toBe('urn:rapport:problem:validation_failed');
    const seen = await get('/scenarios/wrong-colour-vip', agent.headers);
    expect(seen.json()).not.toHaveProperty('definition');
    const started = await post('/sessions', agent.headers, { scenarioKey: 'wrong-colour-vip' });
    expect(started.statusCode).toBe(201);
    const gone = await app.inject({
      method: 'DELETE',
      url: '/api/v1/training/scenarios/wrong-colour-vip',
      headers: admin.headers,
    });
    expect(gone.statusCode).toBe(204);
    expect((await get(`/sessions/${started.json().id}`, agent.headers)).json().title).toBe(
      'Wrong colour for a VIP',
    );
    expect((await get('/scenarios', {})).statusCode).toBe(401);
  });
});
