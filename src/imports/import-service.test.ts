import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { signedInWorkspace, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { readExport } from './import-parsers.ts';
import { runImport } from './import-service.ts';
import type { ImportSource } from './import-types.ts';

const samples = path.join(path.dirname(fileURLToPath(import.meta.url)), 'samples');
type Json = Record<string, unknown> & { data: Json[] };

describeEachDatabase('imports', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  async function importTwice(source: ImportSource) {
    const team = await signedInWorkspace(database);
    const bundle = readExport(source, path.join(samples, source));
    const first = await runImport(database.db, team.admin.actor, source, bundle);
    const second = await runImport(
      database.db,
      team.admin.actor,
      source,
      readExport(source, path.join(samples, source)),
    );
    const get = async (url: string) =>
      (await app.inject({ method: 'GET', url, headers: team.headers })).json() as Json;
    const tickets = (await get('/api/v1/tickets?limit=50')).data;
    const messagesOf = async (ticket: Json) => (await get(`/api/v1/tickets/${ticket.id}/messages`)).data;
    return { first, second, tickets, messagesOf, get };
  }

  const nothingNew = (summary: Awaited<ReturnType<typeof runImport>>) =>
    Object.values(summary).every((count) => count.created === 0);

  it('imports a Zendesk export with comments, users and organisations, and a re-run creates nothing', async () => {
    const { first, second, tickets, messagesOf, get } = await importTwice('zendesk');
    expect(first).toEqual({
      organisations: { created: 1, skipped: 0 },
      customers: { created: 1, skipped: 0 },
      tickets: { created: 2, skipped: 0 },
      messages: { created: 4, skipped: 0 },
    });
    expect(nothingNew(second)).toBe(true);
    expect(second.tickets.skipped).toBe(2);
    expect(second.messages.skipped).toBe(4);
    expect(tickets).toHaveLength(2);
    const fire = tickets.find((t) => t.subject === 'Help, my printer is on fire!')!;
    expect(fire).toMatchObject({ status: 'solved', priority: 'high', tags: ['enterprise', 'printer'] });
    expect((await messagesOf(fire)).map((m) => m.kind)).toEqual([
      'customer_message',
      'public_reply',
      'internal_note',
    ]);
    const customer = await get(`/api/v1/customers/${(fire.customer as Json).id}`);
    expect(customer).toMatchObject({ name: 'Hank Scorpio', tags: ['vip'] });
    expect(customer.companyId).toEqual(expect.any(String));
  });

  it('imports a Freshdesk export: status codes, priorities and conversations', async () => {
    const { first, second, tickets, messagesOf, get } = await importTwice('freshdesk');
    expect(first).toMatchObject({
      organisations: { created: 1 },
      customers: { created: 1 },
      tickets: { created: 1 },
      messages: { created: 3 },
    });
    expect(nothingNew(second)).toBe(true);
    expect(second.organisations.skipped + second.customers.skipped).toBe(2);
    expect(tickets[0]).toMatchObject({
      subject: 'Stapler missing',
      status: 'closed',
      priority: 'high',
      tags: ['office'],
    });
    const customer = await get(`/api/v1/customers/${(tickets[0]!.customer as Json).id}`);
    expect(customer).toMatchObject({ name: 'Peter Gibbons', tags: ['tps'] });
    expect(customer.companyId).toEqual(expect.any(String));
    expect((await messagesOf(tickets[0]!)).map((m) => [m.kind, m.body])).toEqual([
      ['customer_message', 'Has anyone seen my red stapler?'],
      ['public_reply', 'We are looking.'],
      ['customer_message', 'Found it in the basement.'],
    ]);
  });

  it('imports a Help Scout export with embedded threads', async () => {
    const { first, second, tickets, messagesOf, get } = await importTwice('helpscout');
    expect(first).toMatchObject({
      organisations: { created: 1 },
      customers: { created: 1 },
      tickets: { created: 1 },
      messages: { created: 2 },
    });
    expect(nothingNew(second)).toBe(true);
    expect(tickets[0]).toMatchObject({ subject: 'Fridge makes a noise', status: 'pending', tags: ['noise'] });
    const customer = await get(`/api/v1/customers/${(tickets[0]!.customer as Json).id}`);
    expect(customer).toMatchObject({ name: 'Vance Refrigeration', email: 'bob@vance.example' });
    expect(customer.companyId).toEqual(expect.any(String));
    expect((await messagesOf(tickets[0]!)).map((m) => m.body)).toEqual([
      'It hums loudly .',
      'Have you tried defrosting it?',
    ]);
  });

  it('imports CSV with quoted fields and a messages file', async () => {
    const { first, second, tickets, messagesOf } = await importTwice('csv');
    expect(first).toMatchObject({
      organisations: { created: 1 },
      customers: { created: 1 },
      tickets: { created: 2 },
      messages: { created: 4 },
    });
    expect(nothingNew(second)).toBe(true);
    const order = tickets.find((t) => t.subject === 'Order #12, wrong size')!;
    expect(order.tags).toEqual(['returns', 'shoes']);
    expect((await messagesOf(order)).map((m) => [m.kind, m.body])).toEqual([
      ['customer_message', 'I ordered a 42, got a "44".'],
      ['public_reply', "We'll send the right pair."],
      ['internal_note', 'Check stock first'],
    ]);
    expect(tickets.find((t) => t.subject === 'Thanks!')).toMatchObject({ status: 'solved', priority: 'low' });
  });
});
