import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, signedInTeam, testApp } from '../../test/support/http.ts';
import { intelMessageLanguages } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { createLogger } from '../platform/logger.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { addMessage } from '../tickets/message-service.ts';
import { messageLanguages } from './language-service.ts';
import { adaptReply, rankSimilar } from './similar-rank.ts';

it('ranks by TF-IDF cosine and adapts the greeting to the new customer', () => {
  const ranked = rankSimilar({ subject: 'Refund not received', customerTexts: ['Where is my refund?'] }, [
    { id: 'a', subject: 'Lid cracked', customerTexts: ['The lid of my mug is cracked'] },
    { id: 'b', subject: 'Refund missing', customerTexts: ['I was promised a refund but it never came'] },
  ]);
  expect(ranked.map((r) => r.id)).toEqual(['b']);
  expect(adaptReply('Hi Mary, your refund is on its way, Mary.', 'Mary Smith', 'Jo Bloggs')).toBe(
    'Hi Jo, your refund is on its way, Jo.',
  );
  expect(adaptReply('Hi Maryanne', 'Mary Smith', 'Jo')).toBe('Hi Maryanne');
  expect(adaptReply('Hi there', '', 'Jo')).toBe('Hi there');
});

describeEachDatabase('similar tickets, summaries and languages', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  async function solved(
    actor: Actor,
    subject: string,
    question: string,
    answer: string,
    name = 'Mary Smith',
  ) {
    const ticket = await makeTicket(database.db, actor, {
      subject,
      customer: { email: `${crypto.randomUUID()}@example.test`, name },
      message: { body: question },
    });
    await addMessage(database.db, actor, ticket.id, { kind: 'public_reply', body: answer, status: 'solved' });
    return ticket;
  }

  it('finds solved tickets like an open one, with the reply that solved them, in the workspace only', async () => {
    const { admin, light } = await signedInTeam(database);
    const refund = await solved(
      admin.actor,
      'Refund not received',
      'I returned the blender three weeks ago and the refund has still not arrived on my card.',
      'Hi Mary, I have reissued your refund today; it reaches your card within 5 days.',
    );
    await solved(
      admin.actor,
      'Blender lid cracked',
      'The lid of the blender arrived cracked.',
      'Hi Mary, a new lid is on its way.',
    );
    await solved(admin.actor, 'Change my address', 'Please change my delivery address.', 'Done, Mary.');
    const open = await makeTicket(database.db, admin.actor, {
      subject: 'Where is my refund?',
      customer: { email: 'jo@example.test', name: 'Jo Bloggs' },
      message: { body: 'I sent the kettle back and I am still waiting for the refund to my card.' },
    });
    // Another workspace's identical ticket never shows.
    const other = await makeWorkspace(database.db);
    await solved(other.admin.actor, 'Refund not received', 'Refund still not arrived on my card', 'Sorry!');

    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/intel/tickets/${open.id}/similar`,
      headers: light.headers,
    });
    expect(response.statusCode).toBe(200);
    const data = response.json().data;
    expect(data[0]).toMatchObject({
      ticketId: refund.id,
      number: refund.number,
      subject: 'Refund not received',
      status: 'solved',
      reply: {
        body: 'Hi Mary, I have reissued your refund today; it reaches your card within 5 days.',
        draft: 'Hi Jo, I have reissued your refund today; it reaches your card within 5 days.',
      },
    });
    expect(data[0].score).toBeGreaterThan(0.1);
    expect(data.map((d: { subject: string }) => d.subject)).not.toContain('Change my address');
    expect(data.every((d: { ticketId: string }) => d.ticketId !== open.id)).toBe(true);
    expect(data).toHaveLength(data.filter((d: { score: number }) => d.score > 0).length);

    const otherHeaders = await bearerFor(database, other.admin.actor);
    const hidden = await app.inject({
      method: 'GET',
      url: `/api/v1/intel/tickets/${open.id}/similar`,
      headers: otherHeaders,
    });
    expect(hidden.statusCode).toBe(404);
    const limited = await app.inject({
      method: 'GET',
      url: `/api/v1/intel/tickets/${open.id}/similar?limit=99`,
      headers: light.headers,
    });
    expect(limited.statusCode).toBe(400);
  });

  it('summarises a thread and tells the language of each customer message', async () => {
    const { admin, agent } = await signedInTeam(database);
    const ticket = await makeTicket(database.db, admin.actor, {
      subject: 'Kaffeemaschine heizt nicht',
      message: { body: 'Meine Kaffeemaschine heizt seit gestern nicht mehr. Das Licht blinkt rot.' },
    });
    await addMessage(database.db, admin.actor, ticket.id, {
      kind: 'public_reply',
      body: 'Thanks for writing. Could you send a photo of the serial number on the base?',
    });
    await addMessage(database.db, admin.actor, ticket.id, {
      kind: 'customer_message',
      body: 'Here is the photo of the serial number. Can I get a new machine instead of a repair?',
    });
    await addMessage(database.db, admin.actor, ticket.id, {
      kind: 'public_reply',
      body: 'I will send a new machine by Friday, and the courier will collect the old one.',
    });
    // The relay stores each customer message's language as it arrives.
    await createOutboxRelay({
      database,
      handlers: [messageLanguages],
      logger: createLogger('silent'),
      workspaceId: admin.actor.workspaceId,
    }).drain();
    const stored = await database.db
      .select()
      .from(intelMessageLanguages)
      .where(eq(intelMessageLanguages.workspaceId, admin.actor.workspaceId));
    expect(stored.map((row) => row.language).sort()).toEqual(['de', 'en']);
    const url = `/api/v1/intel/tickets/${ticket.id}`;
    const summary = await app.inject({ method: 'GET', url: `${url}/summary`, headers: agent.headers });
    expect(summary.statusCode).toBe(200);
    expect(summary.json()).toMatchObject({ long: true, sentenceCount: 7 });
    expect(summary.json().sentences.map((s: { text: string }) => s.text)).toEqual(
      expect.arrayContaining([
        'Meine Kaffeemaschine heizt seit gestern nicht mehr.',
        'I will send a new machine by Friday, and the courier will collect the old one.',
      ]),
    );
    const two = await app.inject({
      method: 'GET',
      url: `${url}/summary?sentences=2`,
      headers: agent.headers,
    });
    expect(two.json().sentences).toHaveLength(2);

    const languages = await app.inject({ method: 'GET', url: `${url}/languages`, headers: agent.headers });
    expect(languages.statusCode).toBe(200);
    const body = languages.json();
    expect(body.messages.map((m: { language: string }) => m.language)).toEqual(['de', 'en']);
    expect(['de', 'en']).toContain(body.language);

    const other = await makeWorkspace(database.db);
    const otherHeaders = await bearerFor(database, other.admin.actor);
    for (const part of ['summary', 'languages'])
      expect(
        (await app.inject({ method: 'GET', url: `${url}/${part}`, headers: otherHeaders })).statusCode,
      ).toBe(404);
  });
});
