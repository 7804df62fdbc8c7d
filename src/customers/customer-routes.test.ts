import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

describeEachDatabase('customer routes', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  it('creates customers with identities, custom attributes and a company, and finds them by email, phone or name', async () => {
    const { admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const field = await app.inject({
      method: 'POST',
      url: '/api/v1/fields',
      headers,
      payload: { entity: 'customer', key: 'plan', label: 'Plan', type: 'select', options: ['free', 'pro'] },
    });
    expect(field.statusCode).toBe(201);
    const company = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/companies',
        headers,
        payload: { name: 'Acme Bakery', domain: 'www.Acme.test' },
      })
    ).json();
    expect(company.domain).toBe('acme.test');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers,
      payload: {
        name: 'Greta Baker',
        email: 'Greta@Acme.test',
        phone: '+44 20 7946 0958',
        companyId: company.id,
        tags: ['VIP'],
        customAttributes: { plan: 'pro' },
        timeZone: 'Europe/London',
      },
    });
    expect(created.statusCode).toBe(201);
    const customer = created.json();
    expect(customer).toMatchObject({
      email: 'greta@acme.test',
      phone: '+442079460958',
      tags: ['vip'],
      customAttributes: { plan: 'pro' },
    });
    const badPlan = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${customer.id}`,
      headers,
      payload: { customAttributes: { plan: 'gold' } },
    });
    expect(badPlan.statusCode).toBe(400);
    for (const query of [
      'email=GRETA@acme.test',
      'phone=%2B44%2020%207946%200958',
      'q=greta',
      'q=bak',
      'q=7946',
      `company=${company.id}`,
      'tag=vip',
    ]) {
      const found = (await app.inject({ method: 'GET', url: `/api/v1/customers?${query}`, headers })).json();
      expect(
        found.data.map((c: { id: string }) => c.id),
        query,
      ).toEqual([customer.id]);
    }
    const duplicate = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers,
      payload: { email: 'greta@acme.test' },
    });
    expect(duplicate.statusCode).toBe(409);
  });

  it('merges two customers: identities and tickets move, the source points at the target', async () => {
    const { admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const one = await makeTicket(database.db, admin.actor, { customer: { email: 'old@example.test' } });
    const two = await makeTicket(database.db, admin.actor, {
      customer: { email: 'new@example.test', name: 'Nina New' },
    });
    const merged = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${one.customerId}/merge`,
      headers,
      payload: { into: two.customerId },
    });
    expect(merged.statusCode).toBe(200);
    expect(
      merged
        .json()
        .identities.map((i: { value: string }) => i.value)
        .sort(),
    ).toEqual(['new@example.test', 'old@example.test']);
    const tickets = (
      await app.inject({ method: 'GET', url: `/api/v1/tickets?customer=${two.customerId}`, headers })
    ).json();
    expect(tickets.data).toHaveLength(2);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/customers/${one.customerId}`, headers })).json()
        .mergedIntoId,
    ).toBe(two.customerId);
    const next = await makeTicket(database.db, admin.actor, { customer: { email: 'old@example.test' } });
    expect(next.customerId).toBe(two.customerId);
    const list = (await app.inject({ method: 'GET', url: '/api/v1/customers', headers })).json();
    expect(list.data).toHaveLength(1);
  });

  it('pages customers with a cursor', async () => {
    const { admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    for (let i = 0; i < 5; i++)
      await app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers,
        payload: { email: `c${i}@example.test` },
      });
    const first = (await app.inject({ method: 'GET', url: '/api/v1/customers?limit=3', headers })).json();
    const second = (
      await app.inject({
        method: 'GET',
        url: `/api/v1/customers?limit=3&cursor=${first.nextCursor}`,
        headers,
      })
    ).json();
    expect(first.data).toHaveLength(3);
    expect(second.data).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
  });
});
