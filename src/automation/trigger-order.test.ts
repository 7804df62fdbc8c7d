import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { signedInTeam, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

describeEachDatabase('trigger order API', (kind: DatabaseKind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  it('puts every trigger in the order given and refuses a partial or foreign list', async () => {
    const { admin, agent } = await signedInTeam(database);
    const other = await signedInTeam(database);
    const create = async (name: string, headers = admin.headers) =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/admin/triggers',
          headers,
          payload: { name, events: ['ticket.created'], actions: [{ type: 'add_tags', tags: [name] }] },
        })
      ).json().id as string;
    const [a, b, c] = [await create('a'), await create('b'), await create('c')];
    const foreign = await create('x', other.admin.headers);
    const order = (ids: string[], headers = admin.headers) =>
      app.inject({ method: 'PUT', url: '/api/v1/admin/triggers/order', headers, payload: { ids } });

    expect((await order([c, a, b], agent.headers)).statusCode).toBe(403);
    expect((await order([c, a])).statusCode).toBe(400);
    expect((await order([c, a, a])).statusCode).toBe(400);
    expect((await order([c, a, foreign])).statusCode).toBe(400);
    const reordered = await order([c, a, b]);
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(
      reordered.json().data.map((t: { name: string; position: number }) => [t.name, t.position]),
    ).toEqual([
      ['c', 0],
      ['a', 1],
      ['b', 2],
    ]);
    const listed = await app.inject({ url: '/api/v1/admin/triggers', headers: admin.headers });
    expect(listed.json().data.map((t: { id: string }) => t.id)).toEqual([c, a, b]);
  });
});
