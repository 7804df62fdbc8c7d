import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeOrder } from '../../test/support/crm-factories.ts';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { CoPurchaseModel } from './recommend-model.ts';

it('scores items bought by customers with overlapping purchases, never what the customer has', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  const bought = (customerId: string, skus: string[]) =>
    skus.map((sku) => ({ customerId, sku, name: sku, at }));
  const model = new CoPurchaseModel([
    ...bought('a', ['kettle', 'teapot', 'cups']),
    ...bought('b', ['kettle', 'teapot']),
    ...bought('c', ['kettle', 'toaster']),
    ...bought('d', ['bread', 'toaster']),
    ...bought('e', ['bread', 'jam']),
    ...bought('f', ['kettle']),
  ]);
  const [first, ...rest] = model.recommend('f', 3);
  expect(first).toMatchObject({ sku: 'teapot', because: { sku: 'kettle' } });
  expect(rest.map((r) => r.sku)).not.toContain('kettle');
  expect(model.recommend('nobody', 3)).toEqual([]);
  expect(model.mostPopular('f', 2)).toEqual(['teapot', 'toaster']);
});

describeEachDatabase('recommendations API', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  it('recommends from order events with the reason, and updates when new orders arrive', async () => {
    const { admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    await makeOrder(database.db, admin.actor, 'a@shop.test', ['MUG', 'TEA']);
    await makeOrder(database.db, admin.actor, 'b@shop.test', ['MUG', 'TEA', 'SPOON']);
    const mine = await makeOrder(database.db, admin.actor, 'me@shop.test', ['MUG']);
    const url = `/api/v1/customers/${mine.customerId}/recommendations`;
    const first = (await app.inject({ method: 'GET', url, headers })).json();
    expect(first.data[0]).toMatchObject({
      sku: 'TEA',
      reason: 'Bought Item MUG; customers who bought it also bought Item TEA',
    });
    await makeOrder(database.db, admin.actor, 'me@shop.test', ['TEA']);
    const next = (await app.inject({ method: 'GET', url, headers })).json();
    expect(next.data.map((r: { sku: string }) => r.sku)).toEqual(['SPOON']);
  });
});
