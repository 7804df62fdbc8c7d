import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { createCustomer } from '../customers/customer-service.ts';
import { customerIdentities, customers, messages, outbox, tags, ticketEvents } from '../db/schema/index.ts';
import { createField } from '../fields/field-service.ts';
import type { Db } from '../platform/db/database.ts';
import { readViewCounts } from './ticket-counts.ts';
import { getTicket } from './ticket-queries.ts';
import { ticketSummary } from './ticket-records.ts';
import { createTicketWithCustomer } from './ticket-service.ts';

describeEachDatabase('ticket creation in one statement', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = (await sharedDatabase(kind)).db;
  });

  const customersOf = (workspaceId: string) =>
    db.select().from(customers).where(eq(customers.workspaceId, workspaceId));

  it('answers with exactly what a read after commit sees, and logs the event a relay expects', async () => {
    const { admin } = await makeWorkspace(db);
    const created = await createTicketWithCustomer(db, admin.actor, {
      subject: '  Refund please  ',
      customer: { email: 'Jo.Doe@Example.test' },
      message: {
        body: 'Charged twice',
        attachments: [{ name: 'a.pdf', contentType: 'application/pdf', size: 3 }],
      },
      priority: 'high',
      status: 'solved',
      tags: ['Billing', 'vip'],
    });
    expect(created).toEqual(await getTicket(db, admin.actor, created.id));
    expect(created).toMatchObject({ subject: 'Refund please', status: 'solved', tags: ['billing', 'vip'] });
    expect(created.solvedAt).not.toBeNull();
    expect(created.customer).toMatchObject({ name: 'Jo Doe', email: 'jo.doe@example.test' });

    const [message] = await db.select().from(messages).where(eq(messages.ticketId, created.id));
    expect(message).toMatchObject({ kind: 'customer_message', authorCustomerId: created.customerId });
    expect(message!.attachments).toEqual([{ name: 'a.pdf', contentType: 'application/pdf', size: 3 }]);
    const changes = { status: 'solved', priority: 'high', channel: 'api' };
    const [history] = await db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, created.id));
    expect(history).toMatchObject({ type: 'ticket.created', actorUserId: admin.id, changes });
    const [event] = await db.select().from(outbox).where(eq(outbox.workspaceId, admin.actor.workspaceId));
    expect(event!.payload).toEqual({
      ticket: ticketSummary(created),
      changes,
      actorId: admin.id,
      messageId: message!.id,
    });
    const remembered = await db.select().from(tags).where(eq(tags.workspaceId, admin.actor.workspaceId));
    expect(remembered.map((t) => t.name).sort()).toEqual(['billing', 'vip']);
    const counts = await readViewCounts(db, admin.actor.workspaceId, ['status:solved', 'unsolved']);
    expect(counts).toEqual({ 'status:solved': 1, unsolved: 0 });
  });

  it('finds a known customer, adds the identities it lacks and names it only if it had no name', async () => {
    const { admin } = await makeWorkspace(db);
    const known = await createCustomer(db, admin.actor, {
      identities: [{ kind: 'phone', value: '+15550100' }],
    });
    const created = await createTicketWithCustomer(db, admin.actor, {
      subject: 'Call me',
      customer: { phone: '+1 555 0100', email: 'new@example.test', name: 'Pat' },
      message: { body: 'Please call' },
    });
    expect(created.customer).toEqual({ id: known.id, name: 'Pat', email: 'new@example.test' });
    expect(created).toEqual(await getTicket(db, admin.actor, created.id));
    const again = await createTicketWithCustomer(db, admin.actor, {
      subject: 'Again',
      customer: { email: 'NEW@example.test', name: 'Someone Else' },
      message: { body: 'Hello again' },
    });
    expect(again.customer).toEqual({ id: known.id, name: 'Pat', email: 'new@example.test' });
    const identities = await db
      .select()
      .from(customerIdentities)
      .where(eq(customerIdentities.customerId, known.id));
    expect(identities).toHaveLength(2);

    const byId = await createTicketWithCustomer(db, admin.actor, {
      subject: 'By id',
      customer: { id: known.id },
      message: { body: 'x' },
    });
    expect(byId).toEqual(await getTicket(db, admin.actor, byId.id));
  });

  it('writes nothing, not even the customer, when a required field is missing', async () => {
    const { admin } = await makeWorkspace(db);
    await createField(db, admin.actor, {
      entity: 'ticket',
      key: 'order',
      label: 'Order',
      type: 'text',
      required: true,
    });
    const attempt = makeTicket(db, admin.actor, { customer: { email: 'nobody@example.test' } });
    await expect(attempt).rejects.toMatchObject({
      code: 'validation_failed',
      issues: [{ path: 'customFields.order', message: 'is required' }],
    });
    expect(await customersOf(admin.actor.workspaceId)).toHaveLength(0);
    const ok = await makeTicket(db, admin.actor, { customFields: { order: 'A-1' } });
    expect(ok.customFields).toEqual({ order: 'A-1' });
  });

  it('makes one customer with all its identities when many tickets for new ones arrive at once', async () => {
    const { admin } = await makeWorkspace(db);
    // Open the pool's connections first, so the creates really run side by side.
    await Promise.all(Array.from({ length: 8 }, () => db.execute(sql`SELECT pg_sleep(0.05)`)));
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        makeTicket(db, admin.actor, {
          customer:
            i % 2 ? { email: 'rush@example.test' } : { email: 'rush@example.test', phone: '+1555777' },
        }),
      ),
    );
    expect(new Set(created.map((t) => t.customerId)).size).toBe(1);
    const all = await customersOf(admin.actor.workspaceId);
    expect(all).toHaveLength(1);
    const identities = await db
      .select()
      .from(customerIdentities)
      .where(eq(customerIdentities.customerId, all[0]!.id));
    expect(identities.map((i) => i.kind).sort()).toEqual(['email', 'phone']);
    expect(new Set(created.map((t) => t.number)).size).toBe(12);
  });

  it('works inside a caller transaction and disappears with it', async () => {
    const { admin } = await makeWorkspace(db);
    const failed = db.transaction(async (tx) => {
      await makeTicket(tx, admin.actor, { customer: { email: 'gone@example.test' } });
      throw new Error('caller gave up');
    });
    await expect(failed).rejects.toThrow('caller gave up');
    expect(await customersOf(admin.actor.workspaceId)).toHaveLength(0);
    const kept = await db.transaction((tx) => makeTicket(tx, admin.actor));
    expect((await getTicket(db, admin.actor, kept.id)).id).toBe(kept.id);
  });
});
