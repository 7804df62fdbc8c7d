import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

describeEachDatabase('duplicate suggestions', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  it('suggests the same email with a +tag, the same phone and a similar name at one company', async () => {
    const { admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const company = (
      await app.inject({ method: 'POST', url: '/api/v1/companies', headers, payload: { name: 'Acme' } })
    ).json();
    const make = async (payload: object) =>
      (await app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload })).json().id as string;
    const a = await make({ email: 'jo@shop.test', name: 'Jo' });
    const b = await make({ email: 'jo+orders@shop.test', name: 'J.' });
    const c = await make({ phone: '+44 20 7946 0958', name: 'Kim' });
    const d = await make({ phone: '020 7946 0958', name: 'K' });
    const e = await make({ name: 'Margaret Hamilton', companyId: company.id });
    const f = await make({ name: 'Margret Hamilton', companyId: company.id });
    await make({ name: 'Someone Else', companyId: company.id });
    const found = (await app.inject({ method: 'GET', url: '/api/v1/customers/duplicates', headers })).json()
      .data;
    const pairs = found.map((s: { customerIds: string[]; reason: string }) => [
      [...s.customerIds].sort().join(),
      s.reason,
    ]);
    expect(pairs).toEqual(
      expect.arrayContaining([
        [[a, b].sort().join(), 'same email'],
        [[c, d].sort().join(), 'same phone'],
        [[e, f].sort().join(), 'similar name at the same company'],
      ]),
    );
    expect(found).toHaveLength(3);
  });
});
