import { beforeAll, expect, it } from 'vitest';
import { makeOrder } from '../../test/support/crm-factories.ts';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { renderTemplate } from '../canned/canned-template.ts';
import { updateCustomer } from '../customers/customer-service.ts';
import type { Database } from '../platform/db/database.ts';
import { customerTemplateValues } from './crm-placeholders.ts';

describeEachDatabase('profile and order placeholders', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  it('fills profile fields and the latest order, and uses fallbacks for what is unknown', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const ticket = await makeTicket(database.db, admin.actor, {
      customer: { email: 'pia@shop.test', name: 'Pia' },
    });
    const template = 'Tier {{customer.tier | standard}}, order {{order.number | (none)}} {{order.total}}';
    const before = renderTemplate(
      template,
      await customerTemplateValues(database.db, workspace.id, ticket.customerId),
    );
    expect(before).toEqual({ text: 'Tier standard, order (none) {{order.total}}', missing: ['order.total'] });
    await updateCustomer(database.db, admin.actor, ticket.customerId, { tier: 'VIP' });
    await makeOrder(database.db, admin.actor, 'pia@shop.test', [['A', 12]], { number: '9001' });
    const after = renderTemplate(
      template,
      await customerTemplateValues(database.db, workspace.id, ticket.customerId),
    );
    expect(after).toEqual({ text: 'Tier vip, order 9001 12.00 EUR', missing: [] });
    expect(after.text).not.toContain('undefined');
  });
});
