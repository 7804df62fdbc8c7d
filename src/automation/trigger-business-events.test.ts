import { beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { recordBusinessEvent } from '../crm/event-service.ts';
import type { Database } from '../platform/db/database.ts';
import { addMessage } from '../tickets/message-service.ts';
import { conditionSchema, conditionsHold, factsOf } from './trigger-rules.ts';
import { createTrigger } from './trigger-service.ts';
import { triggerWorld } from './trigger-test-world.ts';

describeEachDatabase('triggers on business events', (kind: DatabaseKind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  it("acts on the customer's unsolved tickets when a matching business event arrives", async () => {
    const w = await triggerWorld(database);
    await createTrigger(database.db, w.admin.actor, {
      name: 'Late parcel: hurry',
      events: ['customer.event'],
      conditions: {
        all: [
          { field: 'business_event', op: 'is', value: 'shipment.delayed' },
          { field: 'business_event', key: 'carrier', op: 'is', value: 'PostNL' },
        ],
      },
      actions: [
        { type: 'set_priority', value: 'high' },
        { type: 'add_tags', tags: ['delayed'] },
        { type: 'note', body: 'The shipment of this order is late.' },
      ],
    });
    const customer = { email: 'ida@example.test', name: 'Ida Wells' };
    const asking = await makeTicket(database.db, w.admin.actor, { subject: 'Where is my parcel?', customer });
    const done = await makeTicket(database.db, w.admin.actor, { subject: 'Old question', customer });
    await addMessage(database.db, w.admin.actor, done.id, {
      kind: 'public_reply',
      body: 'Done.',
      status: 'solved',
    });
    const stranger = await makeTicket(database.db, w.admin.actor, { subject: 'Someone else' });
    await w.relay.drain();

    const delayed = (id: string, carrier: string, type = 'shipment.delayed') =>
      recordBusinessEvent(database.db, w.admin.actor, {
        id,
        customer: { email: customer.email },
        type,
        data: { order_number: '77', carrier },
      });
    // Another carrier, then another event type: the conditions see the event's type and data.
    await delayed('evt-1', 'DHL');
    await delayed('evt-2', 'PostNL', 'shipment.shipped');
    await w.relay.drain();
    expect((await w.ticketNow(asking.id)).priority).toBe('normal');

    await delayed('evt-3', 'PostNL');
    await w.relay.drain();
    const changed = await w.ticketNow(asking.id);
    expect(changed.priority).toBe('high');
    expect(changed.tags).toContain('delayed');
    expect(await w.audit(asking.id)).toEqual([['Late parcel: hurry']]);
    // Solved tickets and other customers' tickets are left alone.
    expect((await w.ticketNow(done.id)).tags).not.toContain('delayed');
    expect((await w.ticketNow(stranger.id)).tags).not.toContain('delayed');
  });

  it('refuses a business_event condition compared as a number, and reads a missing field as empty', () => {
    expect(conditionSchema.safeParse({ field: 'business_event', op: 'at_least', value: '3' }).success).toBe(
      false,
    );
    const facts = {
      ...factsOf(
        {
          status: 'open',
          priority: 'normal',
          channel: 'email',
          teamId: null,
          assigneeId: null,
          tags: [],
          subject: '',
        },
        'customer.event',
        null,
      ),
      businessEvent: { type: 'payment.failed', data: { amount: 12 } },
    };
    const holds = (condition: Record<string, string>) =>
      conditionsHold({ all: [conditionSchema.parse(condition)] }, facts);
    expect(holds({ field: 'business_event', op: 'matches', value: '^payment\\.' })).toBe(true);
    expect(holds({ field: 'business_event', key: 'amount', op: 'is', value: '12' })).toBe(true);
    expect(holds({ field: 'business_event', key: 'reason', op: 'absent' })).toBe(true);
    // The customer's tier is a customer condition like any attribute.
    const vip = { ...facts, customer: { language: null, tier: 'vip', tags: [], attributes: {} } };
    expect(
      conditionsHold(
        { all: [conditionSchema.parse({ field: 'customer', key: 'tier', op: 'is', value: 'vip' })] },
        vip,
      ),
    ).toBe(true);
    expect(
      conditionsHold(
        { all: [conditionSchema.parse({ field: 'customer', key: 'tier', op: 'is', value: 'vip' })] },
        { ...vip, customer: { ...vip.customer, tier: null } },
      ),
    ).toBe(false);
    // On any other event there is no business event: the condition is false whatever its operator.
    expect(
      conditionsHold(
        { all: [conditionSchema.parse({ field: 'business_event', op: 'absent' })] },
        { ...facts, businessEvent: undefined },
      ),
    ).toBe(false);
  });
});
