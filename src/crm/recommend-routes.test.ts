import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeOrder } from '../../test/support/crm-factories.ts';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

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
