import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { addMessage } from '../tickets/message-service.ts';

describeEachDatabase('search routes', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const search = async (headers: Record<string, string>, query: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/search?${query}`, headers });
    expect(response.statusCode, query).toBe(200);
    return response.json();
  };

  it('finds tickets, messages and customers with escaped, marked highlights', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const light = await makeUser(database.db, workspace.id, 'light');
    const headers = await bearerFor(database, light.actor);
    const ticket = await makeTicket(database.db, admin.actor, {
      subject: 'Teapot <b>spout</b> & lid',
      customer: { email: 'tilly.teapot@example.test', name: 'Tilly <Teapot>' },
      message: { body: 'The teapot arrived <script>alert("pwned")</script> broken.' },
    });
    await addMessage(database.db, admin.actor, ticket.id, {
      kind: 'internal_note',
      body: 'Checked the warehouse: the <i>teapot</i> batch was fine.',
    });
    await makeTicket(database.db, admin.actor, { subject: 'Something else entirely' });

    const found = await search(headers, 'q=teapot');
    expect(found.tickets).toEqual([
      {
        id: ticket.id,
        number: ticket.number,
        subject: 'Teapot <b>spout</b> & lid',
        status: 'new',
        highlight: '<mark>Teapot</mark> &lt;b&gt;spout&lt;/b&gt; &amp; lid',
      },
    ]);
    expect(found.messages).toHaveLength(2);
    const byKind = Object.fromEntries(found.messages.map((m: { kind: string }) => [m.kind, m]));
    expect(byKind.customer_message).toMatchObject({
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      ticketSubject: 'Teapot <b>spout</b> & lid',
      highlight:
        'The <mark>teapot</mark> arrived &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; broken.',
    });
    expect(byKind.internal_note.highlight).toBe(
      'Checked the warehouse: the &lt;i&gt;<mark>teapot</mark>&lt;/i&gt; batch was fine.',
    );
    for (const message of found.messages) expect(message.highlight).not.toMatch(/<(?!\/?mark>)/);
    expect(found.customers).toEqual([
      {
        id: ticket.customerId,
        name: 'Tilly <Teapot>',
        email: 'tilly.teapot@example.test',
        highlight: 'Tilly &lt;<mark>Teapot</mark>&gt;',
      },
    ]);
  });

  it('finds a ticket by "#number", matches customers by email, and limits each section', async () => {
    const { admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const tickets = [];
    for (let i = 0; i < 4; i++) {
      tickets.push(
        await makeTicket(database.db, admin.actor, {
          subject: `Refund request ${i}`,
          customer: { email: `refund-${i}@shop.test`, name: `Robin ${i}` },
          message: { body: `Please refund order ${i}` },
        }),
      );
    }
    const third = tickets[2]!;
    const byNumber = await search(headers, `q=${encodeURIComponent(`#${third.number}`)}`);
    expect(byNumber.tickets[0]).toMatchObject({ id: third.id, number: third.number });

    const limited = await search(headers, 'q=refund&limit=2');
    expect(limited.tickets).toHaveLength(2);
    expect(limited.messages).toHaveLength(2);
    expect(limited.customers).toHaveLength(2);
    expect(limited.customers[0].highlight).toMatch(/^<mark>refund<\/mark>-\d@shop\.test$/);

    const phrase = await search(headers, `q=${encodeURIComponent('"order 3"')}`);
    expect(phrase.messages.map((m: { ticketId: string }) => m.ticketId)).toEqual([tickets[3]!.id]);
    expect(phrase.messages[0].highlight).toBe('Please refund <mark>order</mark> <mark>3</mark>');
    const nothing = await search(headers, 'q=zebra');
    expect(nothing).toEqual({ tickets: [], messages: [], customers: [] });
  });

  it('stays inside the workspace and refuses bad queries', async () => {
    const mine = await makeWorkspace(database.db);
    const theirs = await makeWorkspace(database.db);
    await makeTicket(database.db, theirs.admin.actor, {
      subject: 'Secret walrus',
      customer: { email: 'walrus@example.test', name: 'Walrus' },
      message: { body: 'walrus walrus' },
    });
    const headers = await bearerFor(database, mine.admin.actor);
    expect(await search(headers, 'q=walrus')).toEqual({ tickets: [], messages: [], customers: [] });
    for (const query of ['', 'q=', 'q=x&limit=0', 'q=x&limit=51', 'q=x&other=1']) {
      const response = await app.inject({ method: 'GET', url: `/api/v1/search?${query}`, headers });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().type).toBe('urn:rapport:problem:validation_failed');
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/search?q=walrus' })).statusCode).toBe(401);
  });
});
