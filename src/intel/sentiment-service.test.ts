import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { signedInTeam, testApp, testDeps } from '../../test/support/http.ts';
import { triggerEngine } from '../automation/trigger-engine.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { addMessage } from '../tickets/message-service.ts';
import { getTicket } from '../tickets/ticket-queries.ts';
import { messageSentiments } from './sentiment-service.ts';

describeEachDatabase('sentiment at intake', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  it('scores each customer message as it arrives and follows the ticket’s trend', async () => {
    const { admin, agent, workspace } = await signedInTeam(database);
    const relay = () =>
      createOutboxRelay({
        database,
        handlers: [messageSentiments],
        logger: testDeps(database).logger,
        workspaceId: workspace.id,
      }).drain();
    const ticket = await makeTicket(database.db, admin.actor, {
      subject: 'Order question',
      message: { body: 'Hi, could you tell me when my order ships? Thanks!' },
    });
    await relay();
    const url = `/api/v1/intel/tickets/${ticket.id}/sentiment`;
    const first = await app.inject({ url, headers: agent.headers });
    expect(first.statusCode).toBe(200);
    expect(first.json().ticket).toMatchObject({ label: 'positive', trend: 'steady', messages: 1 });

    await addMessage(database.db, agent.actor, ticket.id, { kind: 'internal_note', body: 'Checking' });
    await addMessage(database.db, admin.actor, ticket.id, {
      kind: 'customer_message',
      body: 'THIS IS THE THIRD TIME I AM ASKING!! I will cancel my account, I need it by tomorrow.',
    });
    await relay();
    const second = (await app.inject({ url, headers: agent.headers })).json();
    expect(second.ticket).toMatchObject({ label: 'negative', trend: 'worsening', messages: 2 });
    expect(second.ticket.frustration).toBeGreaterThan(0.5);
    expect(second.ticket.urgency).toBeGreaterThan(0.5);
    expect(second.messages[1].signals).toEqual(
      expect.arrayContaining(['shouting', 'repeat_contact', 'threat_to_leave', 'urgency_words']),
    );

    const elsewhere = await signedInTeam(database);
    expect((await app.inject({ url, headers: elsewhere.agent.headers })).statusCode).toBe(404);
  });

  it('shows the mood in ticket lists and on the ticket, and filters the list by it', async () => {
    const { admin, agent, workspace } = await signedInTeam(database);
    const upset = await makeTicket(database.db, admin.actor, {
      subject: 'Broken again',
      message: { body: 'This is terrible, third time it broke. I need it fixed by tomorrow!' },
    });
    const calm = await makeTicket(database.db, admin.actor, {
      subject: 'Hello',
      message: { body: 'Thanks a lot, lovely service!' },
    });
    await createOutboxRelay({
      database,
      handlers: [messageSentiments],
      logger: testDeps(database).logger,
      workspaceId: workspace.id,
    }).drain();
    const unscored = await makeTicket(database.db, admin.actor, { subject: 'Not scored yet' });

    const list = await app.inject({ url: '/api/v1/tickets?sort=created', headers: agent.headers });
    expect(list.statusCode, list.body).toBe(200);
    const mood = Object.fromEntries(
      list.json().data.map((t: { id: string; mood: unknown }) => [t.id, t.mood]),
    );
    expect(mood[upset.id]).toMatchObject({ label: 'negative', trend: 'steady' });
    expect(mood[upset.id].frustration).toBeGreaterThan(0.3);
    expect(mood[upset.id].urgency).toBeGreaterThan(0.5);
    expect(mood[calm.id]).toEqual({ label: 'positive', trend: 'steady', frustration: 0, urgency: 0 });
    expect(mood[unscored.id]).toBeNull();
    const one = await app.inject({ url: `/api/v1/tickets/${upset.id}`, headers: agent.headers });
    expect(one.json().mood).toEqual(mood[upset.id]);

    const negative = await app.inject({ url: '/api/v1/tickets?sentiment=negative', headers: agent.headers });
    expect(negative.json().data.map((t: { id: string }) => t.id)).toEqual([upset.id]);
    const either = await app.inject({
      url: '/api/v1/tickets?sentiment=negative,positive&sort=created&order=asc',
      headers: agent.headers,
    });
    expect(either.json().data.map((t: { id: string }) => t.id)).toEqual([upset.id, calm.id]);
    const wrong = await app.inject({ url: '/api/v1/tickets?sentiment=angry', headers: agent.headers });
    expect(wrong.statusCode).toBe(400);
    // Another workspace's list never sees these moods.
    const elsewhere = await signedInTeam(database);
    const theirs = await app.inject({
      url: '/api/v1/tickets?sentiment=negative',
      headers: elsewhere.agent.headers,
    });
    expect(theirs.json().data).toEqual([]);
  });

  it('lets triggers act on the sentiment and urgency found at intake', async () => {
    const { admin, workspace } = await signedInTeam(database);
    const rule = async (name: string, condition: object, action: object) => {
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/admin/triggers',
        headers: admin.headers,
        payload: { name, events: ['ticket.created'], conditions: { all: [condition] }, actions: [action] },
      });
      expect(created.statusCode, created.body).toBe(201);
    };
    await rule(
      'Upset customers first',
      { field: 'sentiment', op: 'is', value: 'negative' },
      { type: 'add_tags', tags: ['upset'] },
    );
    await rule(
      'Urgent ones up',
      { field: 'urgency', op: 'at_least', value: 'high' },
      { type: 'set_priority', value: 'high' },
    );
    const upset = await makeTicket(database.db, admin.actor, {
      subject: 'Broken again',
      message: { body: 'This is terrible, third time it broke. I want to speak to a manager.' },
    });
    const calm = await makeTicket(database.db, admin.actor, {
      subject: 'Hello',
      message: { body: 'Thanks a lot!' },
    });
    const hurried = await makeTicket(database.db, admin.actor, {
      subject: 'Passport renewal',
      message: { body: 'Could you send the form as soon as possible? My flight leaves soon.' },
    });
    await createOutboxRelay({
      database,
      handlers: [messageSentiments, triggerEngine],
      logger: testDeps(database).logger,
      workspaceId: workspace.id,
    }).drain();
    const now = (id: string) => getTicket(database.db, admin.actor, id);
    expect(await now(upset.id)).toMatchObject({ tags: ['upset'], priority: 'normal' });
    expect(await now(calm.id)).toMatchObject({ tags: [], priority: 'normal' });
    expect(await now(hurried.id)).toMatchObject({ priority: 'high' });
  });
});
