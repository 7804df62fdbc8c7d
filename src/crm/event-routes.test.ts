import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testApp } from '../../test/support/http.ts';
import {
  customerEvents,
  customerIdentities,
  customerOrderItems,
  customers,
  outbox,
} from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

describeEachDatabase('business events API', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const order = {
    id: 'evt-1001',
    customer: { email: 'Olga@Shop.test', name: 'Olga Orders' },
    type: 'order.placed',
    occurred_at: '2026-03-01T10:00:00Z',
    data: {
      number: '1001',
      currency: 'eur',
      items: [
        { sku: 'MUG-1', name: 'Mug', quantity: 2, price: 7.5 },
        { sku: 'TEA-9', name: 'Tea', price: 5 },
      ],
    },
  };

  it('stores an order for a new customer with its items and one outbox event, once per event id', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const first = await app.inject({ method: 'POST', url: '/api/v1/events', headers, payload: order });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      type: 'order.placed',
      orderNumber: '1001',
      amount: 20,
      currency: 'EUR',
    });
    const again = await app.inject({ method: 'POST', url: '/api/v1/events', headers, payload: order });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const [customer] = await database.db
      .select()
      .from(customers)
      .where(eq(customers.workspaceId, workspace.id));
    expect(customer).toMatchObject({ id: first.json().customerId, name: 'Olga Orders' });
    const items = await database.db
      .select()
      .from(customerOrderItems)
      .where(eq(customerOrderItems.workspaceId, workspace.id));
    expect(items.map((i) => [i.sku, i.quantity, i.unitPrice]).sort()).toEqual([
      ['MUG-1', 2, 7.5],
      ['TEA-9', 1, 5],
    ]);
    const events = await database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.workspaceId, workspace.id), eq(outbox.type, 'customer.event')));
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      customer: { id: customer!.id },
      event: { type: 'order.placed' },
    });
    // The same person by phone and external id, free-form type: found by email, identities added.
    const free = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers,
      payload: {
        customer: { email: 'olga@shop.test', external_id: 'crm-77' },
        type: 'newsletter.clicked',
        data: { link: 'x' },
      },
    });
    expect(free.statusCode).toBe(201);
    expect(free.json().customerId).toBe(customer!.id);
    const identities = await database.db
      .select({ value: customerIdentities.value })
      .from(customerIdentities)
      .where(eq(customerIdentities.customerId, customer!.id));
    expect(identities.map((i) => i.value).sort()).toEqual(['crm-77', 'olga@shop.test']);
  });

  it('refuses bad payloads with a problem body and stores nothing, not even the customer', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const cases: [unknown, string][] = [
      [{ ...order, customer: {} }, 'customer'],
      [{ ...order, type: 'Order Placed!' }, 'type'],
      [{ ...order, data: { number: '1', items: [] } }, 'data.items'],
      [
        { ...order, data: { ...order.data, items: [{ sku: 'A', quantity: 'two' }] } },
        'data.items.0.quantity',
      ],
      [{ ...order, type: 'shipment.delayed', data: {} }, 'data.order_number'],
      [{ ...order, occurred_at: 'yesterday' }, 'occurred_at'],
    ];
    for (const [payload, path] of cases) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers,
        payload: payload as object,
      });
      expect(response.statusCode, path).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(response.json()), path).toContain(path.split('.').at(-1)!);
    }
    expect(await database.db.select().from(customers).where(eq(customers.workspaceId, workspace.id))).toEqual(
      [],
    );
    expect(
      await database.db.select().from(customerEvents).where(eq(customerEvents.workspaceId, workspace.id)),
    ).toEqual([]);
    const light = await makeUser(database.db, workspace.id, 'light');
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: await bearerFor(database, light.actor),
      payload: order,
    });
    expect(refused.statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/events', payload: order })).statusCode).toBe(
      401,
    );
  });
});
