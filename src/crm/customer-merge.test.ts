import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { makeOrder } from '../../test/support/crm-factories.ts';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { getCustomer, mergeCustomers, updateCustomer } from '../customers/customer-service.ts';
import { customerEvents, customerNotes, customerOrderItems } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import { addNote, getProfile } from './profile-service.ts';

describeEachDatabase('customer merge keeps the 360 view', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  it('moves events, order lines and notes to the target and never widens consent', async () => {
    const { admin } = await makeWorkspace(database.db);
    const db = database.db;
    const source = (await makeTicket(db, admin.actor, { customer: { email: 'old@shop.test' } })).customerId;
    const target = (await makeTicket(db, admin.actor, { customer: { email: 'new@shop.test' } })).customerId;
    await makeOrder(db, admin.actor, 'old@shop.test', [['A', 10]]);
    await addNote(db, admin.actor, source, { body: 'Call after 5 pm', pinned: true });
    await updateCustomer(db, admin.actor, source, { tier: 'vip', consentProactive: false });
    await mergeCustomers(db, admin.actor, { sourceId: source, targetId: target });
    for (const table of [customerEvents, customerOrderItems, customerNotes])
      expect(await db.select().from(table).where(eq(table.customerId, source))).toEqual([]);
    const profile = await getProfile(db, admin.actor, target);
    expect(profile.lifetime).toMatchObject({ orders: 1, orderValue: 10, tickets: 2 });
    expect(profile.notes.map((n) => n.body)).toEqual(['Call after 5 pm']);
    expect(await getCustomer(db, admin.actor, target)).toMatchObject({
      tier: 'vip',
      consentProactive: false,
    });
  });
});
