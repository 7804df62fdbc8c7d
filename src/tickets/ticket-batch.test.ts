import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, describePostgresOnly, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { createCustomer, upsertCustomerByIdentity } from '../customers/customer-service.ts';
import type { CustomerRef } from '../customers/identities.ts';
import { customerIdentities, customers, outbox, ticketEvents, tickets } from '../db/schema/index.ts';
import { createField } from '../fields/field-service.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { createTicketBatcher, ticketBatcher } from './ticket-batch.ts';
import { readViewCounts, rebuildViewCounts } from './ticket-counts.ts';
import type { NewTicket } from './ticket-insert.ts';
import { getTicket } from './ticket-queries.ts';
import { ticketSummary } from './ticket-records.ts';
import { type CreateTicketInput, createTicketWithCustomer } from './ticket-service.ts';

/** A ticket as createTicketWithCustomer hands it to the batcher. */
const newTicket = (customer: CustomerRef | { id: string }, extra: Partial<NewTicket> = {}): NewTicket => ({
  customer,
  subject: `Batch ${randomUUID().slice(0, 8)}`,
  status: 'new',
  priority: 'normal',
  channel: 'api',
  assigneeId: null,
  teamId: null,
  tags: ['batch'],
  customFields: {},
  message: { outbound: false, bodyText: 'Hello', bodyHtml: null, attachments: [], channelMeta: {} },
  ...extra,
});

async function identityOwners(db: Db, workspaceId: string) {
  const rows = await db
    .select({
      kind: customerIdentities.kind,
      value: customerIdentities.value,
      id: customerIdentities.customerId,
    })
    .from(customerIdentities)
    .where(eq(customerIdentities.workspaceId, workspaceId));
  return new Map(rows.map((row) => [`${row.kind}:${row.value}`, row.id]));
}

const requireOrderField = (db: Db, actor: Actor) =>
  createField(db, actor, { entity: 'ticket', key: 'order', label: 'Order', type: 'text', required: true });

const customersOf = (db: Db, workspaceId: string) =>
  db.select().from(customers).where(eq(customers.workspaceId, workspaceId));

/** Counters equal to a recount of the tickets, and one history row and one outbox event per ticket. */
async function expectBookkeeping(db: Db, actor: Actor, created: { id: string }[]) {
  const counted = await readViewCounts(db, actor.workspaceId);
  await db.transaction((tx) => rebuildViewCounts(tx, actor.workspaceId));
  expect(counted).toEqual(await readViewCounts(db, actor.workspaceId));
  const history = await db
    .select({ ticketId: ticketEvents.ticketId })
    .from(ticketEvents)
    .where(and(eq(ticketEvents.workspaceId, actor.workspaceId), eq(ticketEvents.type, 'ticket.created')));
  expect(history.map((row) => row.ticketId).sort()).toEqual(created.map((t) => t.id).sort());
  const events = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.workspaceId, actor.workspaceId), eq(outbox.type, 'ticket.created')));
  const ticketIds = events.map((event) => (event.payload.ticket as { id: string }).id);
  expect(ticketIds.sort()).toEqual(created.map((t) => t.id).sort());
  return events;
}

describeEachDatabase('tickets created together share one statement', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = (await sharedDatabase(kind)).db;
  });

  it('gives each of 50 concurrent creates its own outcome, one customer per identity', async () => {
    const { admin } = await makeWorkspace(db);
    const agent = await makeUser(db, admin.actor.workspaceId);
    await requireOrderField(db, admin.actor);
    const known = await createCustomer(db, admin.actor, {
      name: 'Kim Known',
      identities: [{ kind: 'email', value: 'kim@example.test' }],
    });
    const customerFor = (i: number): CreateTicketInput['customer'] => {
      if (i === 49) return { email: 'new1@example.test', externalId: 'ext-49' }; // the single-ticket path
      if (i % 5 === 0) return { id: known.id };
      if (i % 5 === 1) return { email: `New${i % 3}@Example.test` };
      if (i % 5 === 2) return { email: `new${i % 3}@example.test`, name: `Name ${i}` };
      if (i % 5 === 3) return { phone: `+1 555 010${i % 2}`, name: `Caller ${i % 2}` };
      return { email: 'KIM@example.test', name: 'Not Kim' };
    };
    const before = ticketBatcher(db).stats();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        createTicketWithCustomer(db, admin.actor, {
          subject: `Ticket ${i}`,
          message: { body: `Body ${i}` },
          tags: i % 2 ? ['Billing', `t${i % 4}`] : [],
          status: i % 7 === 0 ? 'solved' : undefined,
          assigneeId: i % 6 === 0 ? agent.id : undefined,
          // Ticket 13 lacks the required field: only it fails, and writes nothing.
          ...(i === 13
            ? { customer: { email: 'lonely@example.test' } }
            : { customer: customerFor(i), customFields: { order: `A-${i}` } }),
        }),
      ),
    );
    // Through the batcher (a lost race for a new customer tries once more).
    expect(ticketBatcher(db).stats().tickets - before.tickets).toBeGreaterThanOrEqual(50);

    const failed = outcomes[13]!;
    expect(failed.status).toBe('rejected');
    expect(failed.status === 'rejected' && failed.reason).toMatchObject({
      code: 'validation_failed',
      issues: [{ path: 'customFields.order', message: 'is required' }],
    });
    const created = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(created).toHaveLength(49);
    for (const [i, ticket] of created.entries()) {
      expect(ticket).toEqual(await getTicket(db, admin.actor, ticket.id));
      const n = i < 13 ? i : i + 1;
      expect(ticket).toMatchObject({ subject: `Ticket ${n}`, customFields: { order: `A-${n}` } });
      expect(ticket.status).toBe(n % 7 === 0 ? 'solved' : n % 6 === 0 ? 'open' : 'new');
    }
    expect(new Set(created.map((t) => t.number)).size).toBe(49);

    const owners = await identityOwners(db, admin.actor.workspaceId);
    expect(owners.has('email:lonely@example.test')).toBe(false);
    for (const ticket of created) {
      const n = Number(ticket.subject.split(' ')[1]);
      const ref = customerFor(n);
      if ('id' in ref) expect(ticket.customerId).toBe(known.id);
      else if (ref.phone) expect(ticket.customerId).toBe(owners.get(`phone:+1555010${n % 2}`));
      else expect(ticket.customerId).toBe(owners.get(`email:${ref.email!.toLowerCase()}`));
    }
    // Kim, new0, new1, new2 and the two callers: nobody else, and nobody twice.
    const all = await customersOf(db, admin.actor.workspaceId);
    expect(all).toHaveLength(6);
    expect(new Set(owners.values()).size).toBe(6);
    const byId = new Map(all.map((c) => [c.id, c]));
    expect(byId.get(known.id)!.name).toBe('Kim Known');
    expect(byId.get(owners.get('phone:+15550101')!)!.name).toBe('Caller 1');

    const events = await expectBookkeeping(db, admin.actor, created);
    const createdById = new Map(created.map((t) => [t.id, t]));
    for (const event of events) {
      const ticket = createdById.get((event.payload.ticket as { id: string }).id)!;
      expect(event.payload).toMatchObject({
        ticket: ticketSummary(ticket),
        changes: { status: ticket.status, priority: 'normal', channel: 'api' },
        actorId: admin.id,
      });
    }
  });

  it('writes one batch as if its tickets came one after another', async () => {
    const { admin } = await makeWorkspace(db);
    await requireOrderField(db, admin.actor);
    const nameless = await createCustomer(db, admin.actor, {
      identities: [{ kind: 'phone', value: '+1555999' }],
    });
    const batcher = createTicketBatcher(db);
    const order = { customFields: { order: 'A-1' } };
    const results = await Promise.all([
      batcher.insert(admin.actor, newTicket({ visitorId: 'v-1' }, order)),
      batcher.insert(admin.actor, newTicket({ visitorId: 'v-1', name: 'Vic' }, order)),
      batcher.insert(admin.actor, newTicket({ visitorId: 'v-1', name: 'Someone Else' }, order)),
      batcher.insert(admin.actor, newTicket({ phone: '+1 555 999' }, order)),
      batcher.insert(admin.actor, newTicket({ phone: '+1555999', name: 'Nia' }, order)),
      batcher.insert(admin.actor, newTicket({ phone: '+1555999', name: 'Not Nia' }, order)),
      batcher.insert(admin.actor, newTicket({ id: nameless.id }, order)),
      batcher.insert(admin.actor, newTicket({ email: 'missing@example.test' })),
      batcher.insert(admin.actor, newTicket({ id: randomUUID() }, order)),
    ]);
    expect(batcher.stats()).toEqual({ tickets: 9, batches: 1, fallbacks: 0 });
    // The one lacking the required field and the one whose customer is gone wrote nothing.
    expect(results.slice(7)).toEqual([undefined, undefined]);
    const created = results.slice(0, 7).map((ticket) => ticket!);
    const visitor = created[0]!.customer;
    expect(created.slice(0, 3).map((t) => t.customer)).toEqual([visitor, visitor, visitor]);
    expect(visitor.name).toBe('Vic');
    expect(created.slice(3).map((t) => t.customer)).toEqual(
      Array.from({ length: 4 }, () => ({ id: nameless.id, name: 'Nia', email: null })),
    );
    for (const ticket of created) expect(ticket).toEqual(await getTicket(db, admin.actor, ticket.id));
    expect(created.map((t) => t.number)).toEqual(created.map((t) => t.number).sort((a, b) => a - b));
    expect(await customersOf(db, admin.actor.workspaceId)).toHaveLength(2);
    await expectBookkeeping(db, admin.actor, created);
  });

  it('runs a failed batch ticket by ticket, so only the bad one fails', async () => {
    const { admin } = await makeWorkspace(db);
    const batcher = createTicketBatcher(db);
    // The assignee was deleted after the check: the batch statement breaks its foreign key.
    const outcomes = await Promise.allSettled([
      batcher.insert(admin.actor, newTicket({ email: 'one@example.test' })),
      batcher.insert(admin.actor, newTicket({ email: 'two@example.test' }, { assigneeId: randomUUID() })),
      batcher.insert(admin.actor, newTicket({ email: 'one@example.test' })),
    ]);
    expect(batcher.stats()).toEqual({ tickets: 3, batches: 1, fallbacks: 1 });
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const created = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value!] : []));
    expect(created[0]!.customerId).toBe(created[1]!.customerId);
    expect(await customersOf(db, admin.actor.workspaceId)).toHaveLength(1);
    const stored = await db.select().from(tickets).where(eq(tickets.workspaceId, admin.actor.workspaceId));
    expect(stored.map((t) => t.id).sort()).toEqual(created.map((t) => t.id).sort());
    await expectBookkeeping(db, admin.actor, created);
  });

  it('keeps tickets of one new customer out of batches running at once', async () => {
    const { admin } = await makeWorkspace(db);
    const batcher = createTicketBatcher(db, { maxBatch: 2, maxInFlight: 3 });
    const created = await Promise.all(
      Array.from({ length: 5 }, () => batcher.insert(admin.actor, newTicket({ email: 'same@example.test' }))),
    );
    // Two batches and a last ticket on its own, one after another: no race, so no fallback.
    expect(batcher.stats()).toEqual({ tickets: 5, batches: 2, fallbacks: 0 });
    expect(new Set(created.map((ticket) => ticket!.customerId)).size).toBe(1);
    expect(await customersOf(db, admin.actor.workspaceId)).toHaveLength(1);
  });

  it('does not batch inside a caller transaction', async () => {
    const { admin } = await makeWorkspace(db);
    const before = ticketBatcher(db).stats().tickets;
    const ticket = await db.transaction((tx) => makeTicket(tx, admin.actor));
    expect(ticketBatcher(db).stats().tickets).toBe(before);
    expect((await getTicket(db, admin.actor, ticket.id)).id).toBe(ticket.id);
  });
});

describePostgresOnly('a ticket batch losing the race for a new customer', () => {
  let db: Db;
  beforeAll(async () => {
    db = (await sharedDatabase('postgres')).db;
  });

  it('falls back to one by one and finds the customer the other request made', async () => {
    const { admin } = await makeWorkspace(db);
    const workspaceId = admin.actor.workspaceId;
    let commit!: () => void;
    let claimed!: () => void;
    const hasClaimed = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    const other = db.transaction(async (tx) => {
      const id = await upsertCustomerByIdentity(tx, workspaceId, { email: 'race@example.test' });
      claimed();
      await new Promise<void>((resolve) => {
        commit = resolve;
      });
      return id;
    });
    await hasClaimed;
    const batcher = createTicketBatcher(db);
    const results = Promise.all([
      batcher.insert(admin.actor, newTicket({ email: 'race@example.test' })),
      batcher.insert(admin.actor, newTicket({ email: 'calm@example.test' })),
      batcher.insert(admin.actor, newTicket({ email: 'race@example.test' })),
    ]);
    // Commit the other request only once the batch waits for its uncommitted identity.
    for (;;) {
      const waiting = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%jsonb_to_recordset%'`,
      );
      if (waiting[0]!.n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    commit();
    const winner = await other;
    const [first, calm, second] = await results;
    expect(batcher.stats()).toEqual({ tickets: 3, batches: 1, fallbacks: 1 });
    expect([first!.customerId, second!.customerId]).toEqual([winner, winner]);
    expect(calm!.customerId).not.toBe(winner);
    expect(await customersOf(db, workspaceId)).toHaveLength(2);
    await expectBookkeeping(db, admin.actor, [first!, calm!, second!]);
  });
});
