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

  it('never suggests a dismissed pair again, lists it, and suggests it again after undo', async () => {
    const { admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const make = async (email: string) =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/customers',
          headers,
          payload: { email, name: 'Sam' },
        })
      ).json().id as string;
    const a = await make('sam@shop.test');
    const b = await make('sam+news@shop.test');
    const c = await make('kim@shop.test');
    const d = await make('kim+x@shop.test');
    const suggested = async () =>
      (await app.inject({ method: 'GET', url: '/api/v1/customers/duplicates', headers }))
        .json()
        .data.map((s: { customerIds: string[] }) => [...s.customerIds].sort().join());
    expect(await suggested()).toHaveLength(2);

    // Either order names the same pair; dismissing it twice keeps one dismissal.
    const url = '/api/v1/customers/duplicates/dismissals';
    const first = await app.inject({ method: 'POST', url, headers, payload: { customerIds: [b, a] } });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ customerIds: [a, b].sort(), names: ['Sam', 'Sam'] });
    const again = await app.inject({ method: 'POST', url, headers, payload: { customerIds: [a, b] } });
    expect(again.json().id).toBe(first.json().id);
    expect(await suggested()).toEqual([[c, d].sort().join()]);
    const listed = (await app.inject({ method: 'GET', url, headers })).json().data;
    expect(listed.map((x: { id: string }) => x.id)).toEqual([first.json().id]);

    const undone = await app.inject({ method: 'DELETE', url: `${url}/${first.json().id}`, headers });
    expect(undone.statusCode).toBe(204);
    expect(await suggested()).toHaveLength(2);
    expect((await app.inject({ method: 'GET', url, headers })).json().data).toEqual([]);
  });

  it('answers bad ids with a problem body and keeps each workspace to its own customers', async () => {
    const mine = await makeWorkspace(database.db);
    const theirs = await makeWorkspace(database.db);
    const headers = await bearerFor(database, mine.admin.actor);
    const theirHeaders = await bearerFor(database, theirs.admin.actor);
    const make = async (h: typeof headers, email: string) =>
      (await app.inject({ method: 'POST', url: '/api/v1/customers', headers: h, payload: { email } })).json()
        .id as string;
    const a = await make(headers, 'jo@shop.test');
    const b = await make(headers, 'jo+1@shop.test');
    const foreign = await make(theirHeaders, 'jo+2@shop.test');
    const url = '/api/v1/customers/duplicates/dismissals';
    const cases: [unknown, number][] = [
      [{ customerIds: [a, 'not-a-uuid'] }, 400],
      [{ customerIds: [a] }, 400],
      [{ customerIds: [a, a] }, 400],
      [{ customerIds: [a, foreign] }, 404],
    ];
    for (const [payload, status] of cases) {
      const response = await app.inject({ method: 'POST', url, headers, payload: payload as object });
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().status).toBe(status);
    }
    const dismissed = (
      await app.inject({ method: 'POST', url, headers, payload: { customerIds: [a, b] } })
    ).json();
    // Another workspace neither sees nor undoes it.
    expect((await app.inject({ method: 'GET', url, headers: theirHeaders })).json().data).toEqual([]);
    const undo = await app.inject({ method: 'DELETE', url: `${url}/${dismissed.id}`, headers: theirHeaders });
    expect(undo.statusCode).toBe(404);
    expect(undo.headers['content-type']).toContain('application/problem+json');
    const bad = await app.inject({ method: 'DELETE', url: `${url}/nope`, headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((await app.inject({ method: 'GET', url, headers })).json().data).toHaveLength(1);
  });
});
