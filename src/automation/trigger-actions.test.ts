import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser } from '../../test/support/factories.ts';
import { testDeps } from '../../test/support/http.ts';
import { businessSchedules, customers, messages, outbox } from '../db/schema/index.ts';
import { createField } from '../fields/field-service.ts';
import type { Database } from '../platform/db/database.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { createTeam } from '../teams/team-service.ts';
import { addMessage } from '../tickets/message-service.ts';
import { ticketSummary } from '../tickets/ticket-records.ts';
import { createWebhookDeliveryWorker } from '../webhooks/webhook-delivery.ts';
import { createWebhook, deleteWebhook } from '../webhooks/webhook-service.ts';
import type { TriggerInput } from './trigger-service.ts';
import { createTrigger, dryRunTrigger } from './trigger-service.ts';
import { triggerWorld } from './trigger-test-world.ts';

describeEachDatabase('trigger actions and conditions', (kind: DatabaseKind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  async function world() {
    const w = await triggerWorld(database);
    const rule = (input: Omit<TriggerInput, 'events'> & { events?: string[] }) =>
      createTrigger(database.db, w.admin.actor, { events: ['ticket.created'], ...input });
    const messagesOf = (ticketId: string) =>
      database.db
        .select()
        .from(messages)
        .where(eq(messages.ticketId, ticketId))
        .orderBy(asc(messages.createdAt));
    const eventsOf = (type: string) =>
      database.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.workspaceId, w.workspace.id), eq(outbox.type, type)));
    /** A rule tagging new tickets when its conditions hold. */
    const tagWhen = (name: string, conditions: TriggerInput['conditions'], tag: string) =>
      rule({ name, conditions, actions: [{ type: 'add_tags', tags: [tag] }] });
    return { ...w, rule, tagWhen, messagesOf, eventsOf };
  }

  it('replies from a template, adds a note and notifies the team, with one audit line naming each effect', async () => {
    const w = await world();
    const agents = [await makeUser(database.db, w.workspace.id), await makeUser(database.db, w.workspace.id)];
    const team = await createTeam(database.db, w.admin.actor, {
      name: 'Care',
      memberIds: agents.map((a) => a.id),
    });
    const created = await w.rule({
      name: 'Welcome',
      actions: [
        { type: 'reply', body: 'Hello {{customer.first_name}}, we are on it.' },
        { type: 'note', body: 'Auto-acknowledged' },
        { type: 'notify', body: 'New ticket for Care' },
      ],
    });
    const ticket = await makeTicket(database.db, w.admin.actor, {
      teamId: team.id,
      customer: { email: 'robin@example.test', name: 'Robin Hood' },
    });
    await w.relay.drain();
    const said = (await w.messagesOf(ticket.id)).map((m) => [m.kind, m.bodyText]);
    expect(said.slice(1)).toEqual([
      ['public_reply', 'Hello Robin, we are on it.'],
      ['internal_note', 'Auto-acknowledged'],
    ]);
    const notified = await w.eventsOf('agent.notified');
    expect(notified).toHaveLength(1);
    expect((notified[0]!.payload.userIds as string[]).sort()).toEqual(agents.map((a) => a.id).sort());
    const [line] = await w.auditRows(ticket.id);
    expect(line!.changes.effects).toEqual(
      ['reply', 'note', 'notify'].map((type) => ({ rule: created.id, type })),
    );
    expect(line!.actorUserId).toBeNull();
  });

  it('replies once per customer message: its own reply never fires it again', async () => {
    const w = await world();
    await w.rule({
      name: 'Auto answer',
      events: ['message.created'],
      conditions: { all: [{ field: 'messageKind', op: 'is', value: 'customer_message' }] },
      actions: [{ type: 'reply', body: 'Thanks, we got your message.' }],
    });
    await w.rule({
      name: 'Echo every message',
      events: ['message.created'],
      actions: [{ type: 'note', body: 'A message came in' }],
    });
    const ticket = await makeTicket(database.db, w.admin.actor);
    const customer = { userId: null, workspaceId: w.workspace.id, role: 'system' } as const;
    for (const body of ['First question', 'Second question'])
      await addMessage(database.db, customer, ticket.id, { kind: 'customer_message', body });
    await w.relay.drain();
    const kinds = (await w.messagesOf(ticket.id)).map((m) => m.kind);
    // Per customer message: one reply and one note; the reply and the note fire nothing more.
    expect(kinds.filter((k) => k === 'public_reply')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'internal_note')).toHaveLength(2);
    expect(await w.audit(ticket.id)).toEqual([
      ['Auto answer', 'Echo every message'],
      ['Auto answer', 'Echo every message'],
    ]);
  });

  it('escalates one priority step and to another team, never above urgent', async () => {
    const w = await world();
    const tier2 = await createTeam(database.db, w.admin.actor, { name: 'Tier 2' });
    await w.rule({
      name: 'Escalate VIP',
      events: ['ticket.created', 'ticket.updated'],
      conditions: { all: [{ field: 'tag', op: 'is', value: 'vip' }] },
      actions: [{ type: 'escalate', teamId: tier2.id }],
    });
    const normal = await makeTicket(database.db, w.admin.actor, { tags: ['vip'] });
    const urgent = await makeTicket(database.db, w.admin.actor, { tags: ['vip'], priority: 'urgent' });
    await w.relay.drain();
    // Its own ticket.updated does not escalate it again.
    expect(await w.ticketNow(normal.id)).toMatchObject({ priority: 'high', teamId: tier2.id });
    expect(await w.ticketNow(urgent.id)).toMatchObject({ priority: 'urgent', teamId: tier2.id });
    expect(await w.audit(normal.id)).toEqual([['Escalate VIP']]);
  });

  it('calls a webhook on a real loopback receiver with the audit event', async () => {
    const w = await world();
    const received: { headers: Record<string, unknown>; body: string }[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const deps = testDeps(database);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    // Subscribed to nothing that happens here: only the trigger's call reaches it.
    const { webhook } = await createWebhook(deps, w.admin.actor, { url, events: ['customer.merged'] });
    try {
      await w.rule({ name: 'Tell the CRM', actions: [{ type: 'webhook', webhookId: webhook.id }] });
      const ticket = await makeTicket(database.db, w.admin.actor);
      await w.relay.drain();
      const worker = createWebhookDeliveryWorker(deps);
      await worker.runDue();
      await worker.stop();
      expect(received).toHaveLength(1);
      expect(received[0]!.headers['x-rapport-event']).toBe('trigger.fired');
      const body = JSON.parse(received[0]!.body);
      expect(body).toMatchObject({
        type: 'trigger.fired',
        workspaceId: w.workspace.id,
        data: { ticket: { id: ticket.id }, changes: { triggers: [{ name: 'Tell the CRM' }] } },
      });
    } finally {
      await deleteWebhook(database.db, w.admin.actor, webhook.id);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('matches custom fields and customer attributes, tags and language', async () => {
    const w = await world();
    await createField(database.db, w.admin.actor, {
      entity: 'ticket',
      key: 'plan',
      label: 'Plan',
      type: 'text',
    });
    await w.tagWhen(
      'Enterprise plan',
      { all: [{ field: 'custom_field', key: 'plan', op: 'is', value: 'enterprise' }] },
      'enterprise',
    );
    await w.rule({
      name: 'Gold French customers',
      conditions: {
        all: [
          { field: 'customer', key: 'tier', op: 'is', value: 'gold' },
          { field: 'customer', key: 'language', op: 'is', value: 'fr' },
          { field: 'customer', key: 'tags', op: 'contains', value: 'vip' },
        ],
      },
      actions: [{ type: 'set_priority', value: 'high' }],
    });
    const enterprise = await makeTicket(database.db, w.admin.actor, { customFields: { plan: 'enterprise' } });
    const starter = await makeTicket(database.db, w.admin.actor, { customFields: { plan: 'starter' } });
    const gold = await makeTicket(database.db, w.admin.actor);
    const silver = await makeTicket(database.db, w.admin.actor);
    const set = (id: string, tier: string) =>
      database.db
        .update(customers)
        .set({ customAttributes: { tier }, language: 'fr', tags: ['vip-2024'] })
        .where(eq(customers.id, id));
    await set(gold.customerId, 'gold');
    await set(silver.customerId, 'silver');
    await w.relay.drain();
    expect((await w.ticketNow(enterprise.id)).tags).toEqual(['enterprise']);
    expect((await w.ticketNow(starter.id)).tags).toEqual([]);
    expect((await w.ticketNow(gold.id)).priority).toBe('high');
    expect((await w.ticketNow(silver.id)).priority).toBe('normal');
  });

  it('matches inside and outside business hours of the default or a named schedule', async () => {
    const w = await world();
    const schedule = (name: string, hours: { day: number; start: string; end: string }[]) =>
      database.db
        .insert(businessSchedules)
        .values({ workspaceId: w.workspace.id, name, timeZone: 'Europe/Paris', hours })
        .returning();
    // The first schedule is the default: never open. The second is open all week.
    await schedule('Closed', []);
    const [always] = await schedule(
      'Always',
      [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' })),
    );
    await w.tagWhen(
      'Outside hours',
      { all: [{ field: 'business_hours', op: 'is', value: 'outside' }] },
      'after-hours',
    );
    await w.tagWhen(
      'Inside always',
      { all: [{ field: 'business_hours', key: always!.id, op: 'is', value: 'inside' }] },
      'staffed',
    );
    await w.tagWhen(
      'Inside default',
      { all: [{ field: 'business_hours', op: 'is', value: 'inside' }] },
      'never',
    );
    const ticket = await makeTicket(database.db, w.admin.actor);
    await w.relay.drain();
    expect((await w.ticketNow(ticket.id)).tags).toEqual(['after-hours', 'staffed']);
  });

  it('matches the intent, sentiment and language the intelligence put on the event', async () => {
    const w = await world();
    await w.rule({
      name: 'Angry cancellations in German',
      events: ['message.created'],
      conditions: {
        all: [
          { field: 'intent', op: 'is', value: 'cancel' },
          { field: 'sentiment', op: 'is', value: 'negative' },
          { field: 'language', op: 'is', value: 'de' },
        ],
      },
      actions: [{ type: 'set_priority', value: 'urgent' }],
    });
    const yes = await makeTicket(database.db, w.admin.actor);
    const no = await makeTicket(database.db, w.admin.actor);
    const said = (ticket: typeof yes, intel: Record<string, string>) =>
      recordEvent(database.db, {
        workspaceId: w.workspace.id,
        type: 'message.created',
        payload: {
          ticket: ticketSummary(ticket),
          message: { kind: 'customer_message', excerpt: 'Kündigen' },
          intel,
        },
      });
    await said(yes, { intent: 'cancel', sentiment: 'negative', language: 'de' });
    await said(no, { intent: 'cancel', sentiment: 'negative', language: 'en' });
    await w.relay.drain();
    expect((await w.ticketNow(yes.id)).priority).toBe('urgent');
    expect((await w.ticketNow(no.id)).priority).toBe('normal');
  });

  it('matches ticket age in hours since creation and since the last update', async () => {
    const w = await world();
    await w.tagWhen(
      'Fresh',
      {
        all: [
          { field: 'hours_since_created', op: 'less_than', value: '1' },
          { field: 'hours_since_update', op: 'less_than', value: '1' },
        ],
      },
      'fresh',
    );
    await w.tagWhen('Old', { any: [{ field: 'hours_since_created', op: 'at_least', value: '1' }] }, 'old');
    const ticket = await makeTicket(database.db, w.admin.actor);
    await w.relay.drain();
    expect((await w.ticketNow(ticket.id)).tags).toEqual(['fresh']);
  });

  it('dry-runs conditions on custom fields, customers and age over recent tickets', async () => {
    const w = await world();
    await createField(database.db, w.admin.actor, {
      entity: 'ticket',
      key: 'plan',
      label: 'Plan',
      type: 'text',
    });
    const rule = await w.rule({
      name: 'Gold enterprise',
      active: false,
      conditions: {
        all: [
          { field: 'custom_field', key: 'plan', op: 'is', value: 'enterprise' },
          { field: 'customer', key: 'tier', op: 'is', value: 'gold' },
          { field: 'hours_since_created', op: 'less_than', value: '1' },
        ],
      },
      actions: [{ type: 'escalate' }, { type: 'note', body: 'Gold' }],
    });
    const match = await makeTicket(database.db, w.admin.actor, { customFields: { plan: 'enterprise' } });
    const wrongTier = await makeTicket(database.db, w.admin.actor, { customFields: { plan: 'enterprise' } });
    await database.db
      .update(customers)
      .set({ customAttributes: { tier: 'gold' } })
      .where(eq(customers.id, match.customerId));
    await database.db
      .update(customers)
      .set({ customAttributes: { tier: 'iron' } })
      .where(eq(customers.id, wrongTier.customerId));
    const result = await dryRunTrigger(database.db, w.admin.actor, rule.id, 10);
    expect(result).toEqual({
      checked: 2,
      matches: [
        { ticketId: match.id, number: match.number, changes: { priority: 'high' }, effects: ['note'] },
      ],
    });
    await w.relay.drain();
    expect(await w.messagesOf(match.id)).toHaveLength(1);
  });
});
