import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { signedInTeam, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { addMessage } from '../tickets/message-service.ts';
import { updateTicket } from '../tickets/ticket-service.ts';
import { redact } from './ticket-draft.ts';

describe('redact', () => {
  it('removes e-mails, phones, cards, order numbers, links and names', () => {
    const { text, redactions } = redact(
      'Hi Sam, my order #48213 (also ORD-99812, order number 55120) went to jo.doe+shop@mail.example.com. ' +
        'Call me on +44 20 7946 0958 or see https://track.example/abc. Card 4111 1111 1111 1111. ' +
        'Jordan Blake will be home in 2 days.\nThanks,\nJordan',
      ['Jordan Blake'],
    );
    expect(text).toBe(
      'Hi [name], my order [order number] (also [order number], order [order number]) went to [email]. ' +
        'Call me on [phone] or see [link]. Card [card number]. ' +
        '[name] will be home in 2 days.\nThanks,\n[name]',
    );
    expect(redactions).toBe(11);
  });

  it('leaves short numbers, times and ordinary words alone', () => {
    const text = 'It arrives within 2 business days, between 8 and 12. The order arrived broken.';
    expect(redact(text)).toEqual({ text, redactions: 0 });
  });
});

describeEachDatabase('scenario drafts from tickets', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const draft = (headers: Record<string, string>, ticketId: string) =>
    app.inject({ method: 'POST', url: '/api/v1/training/scenarios/drafts', headers, payload: { ticketId } });

  it('drafts a valid scenario from a solved ticket without the personal data, for admins only', async () => {
    const { admin, agent } = await signedInTeam(database);
    const ticket = await makeTicket(database.db, admin.actor, {
      subject: 'Order 48213 never arrived',
      customer: { email: 'rosa.diaz@example.test', name: 'Rosa Diaz' },
      message: {
        body: 'Hi, this is the third time I write! Order 48213 never came. Call me at 0161 496 0000. Rosa',
      },
    });
    const open = await draft(admin.headers, ticket.id);
    expect(open.statusCode).toBe(422);
    await addMessage(database.db, admin.actor, ticket.id, {
      kind: 'public_reply',
      body: "I'm sorry, Rosa. Which delivery address did you use for the parcel?",
    });
    await addMessage(database.db, admin.actor, ticket.id, {
      kind: 'customer_message',
      body: '12 Elm Street. Email me at rosa.diaz@example.test',
    });
    await addMessage(database.db, admin.actor, ticket.id, {
      kind: 'public_reply',
      body: 'I have reshipped your parcel by express today; it arrives within 2 business days.',
    });
    await updateTicket(database.db, admin.actor, ticket.id, { status: 'solved' });

    expect((await draft(agent.headers, ticket.id)).statusCode).toBe(403);
    const res = await draft(admin.headers, ticket.id);
    expect(res.statusCode).toBe(200);
    const { definition, redactions } = res.json();
    const all = JSON.stringify(definition);
    for (const secret of ['Rosa', 'Diaz', 'rosa.diaz', '48213', '0161']) expect(all).not.toContain(secret);
    expect(redactions).toBe(4);
    expect(definition).toMatchObject({
      key: `from-ticket-${ticket.number}`,
      title: 'Order [order number] never arrived',
      persona: { style: 'angry' },
      facts: [
        {
          id: 'fact_1',
          keywords: ['delivery', 'address', 'parcel'],
          ask: 'Which delivery address did you use for the parcel?',
          reply: '12 Elm Street. Email me at [email]',
        },
      ],
      success: { facts: ['fact_1'], example: expect.stringContaining('reshipped') },
    });
    const saved = await app.inject({
      method: 'POST',
      url: '/api/v1/training/scenarios',
      headers: admin.headers,
      payload: definition,
    });
    expect(saved.statusCode).toBe(201);
  });
});
