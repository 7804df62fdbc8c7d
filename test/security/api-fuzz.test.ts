// Random and hostile JSON thrown at every write route in the route table, with a fixed seed so a
// failure replays. Whatever arrives, the answer is a 4xx problem or a success, never a 5xx, and the
// server keeps serving.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import type { App } from '../../src/platform/http/server.ts';
import { describeEachDatabase, sharedDatabase } from '../support/databases.ts';
import { signedInTeam, testApp } from '../support/http.ts';

const SEED = 20261123;
const BODIES_PER_ROUTE = 12;
const skipped = new Set(['POST /api/v1/demo/seed']);

/** Values that have broken JSON APIs before: prototype keys, deep nesting, odd numbers and strings. */
const hostile = fc.constantFrom<unknown>(
  { __proto__: { admin: true } },
  JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'),
  { subject: 'x'.repeat(100_000) },
  { email: 'a@b.c\u0000', name: '\ud800' },
  { subject: 'nul\u0000inside', body: '\u0000', name: 'x\u0000' },
  { id: '../../etc/passwd', url: 'javascript:alert(1)' },
  { limit: -1, offset: 1e308, count: Number.MAX_SAFE_INTEGER + 2 },
  JSON.parse(`${'['.repeat(500)}${']'.repeat(500)}`),
  { tags: Array.from({ length: 5000 }, (_, i) => `t${i}`) },
  null,
  [],
  'plain string',
  0,
);

const bodies = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue() },
  {
    weight: 3,
    arbitrary: fc.dictionary(
      fc.constantFrom(
        'subject',
        'name',
        'email',
        'body',
        'status',
        'priority',
        'url',
        'events',
        'message',
        'customer',
        'tags',
        'role',
        'password',
        'ids',
        'changes',
        'filters',
        'into',
        'type',
        'key',
        'label',
        'options',
      ),
      fc.jsonValue(),
    ),
  },
  { weight: 2, arbitrary: hostile },
);

describeEachDatabase('API fuzzing', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database, { env: { RAPPORT_LOGIN_RATE_LIMIT: '100000' } });
  });
  afterAll(() => app.close());

  it('answers every random body on every write route with a 4xx problem or a success, never a 5xx', async () => {
    const { admin } = await signedInTeam(database);
    const routes = app.routeTable.filter(
      (route) =>
        ['POST', 'PATCH', 'PUT', 'DELETE'].includes(route.method) &&
        !route.websocket &&
        !skipped.has(`${route.method} ${route.url}`),
    );
    expect(routes.length).toBeGreaterThan(20);
    const samples = fc.sample(bodies, { numRuns: routes.length * BODIES_PER_ROUTE, seed: SEED });
    const failures: string[] = [];
    let sent = 0;
    for (const route of routes) {
      for (let i = 0; i < BODIES_PER_ROUTE; i++) {
        const body = samples[sent++];
        const url = route.url.replace(/:[A-Za-z]+/g, () => randomUUID());
        const response = await app.inject({
          method: route.method as 'POST',
          url,
          headers: { ...admin.headers, 'content-type': 'application/json' },
          payload: JSON.stringify(body) ?? 'null',
        });
        const status = response.statusCode;
        if (status >= 500)
          failures.push(`${route.method} ${route.url} ${status} ← ${JSON.stringify(body)?.slice(0, 200)}`);
        else if (
          status >= 400 &&
          !String(response.headers['content-type']).startsWith('application/problem+json')
        )
          failures.push(`${route.method} ${route.url} ${status} without a problem body`);
      }
    }
    expect(failures).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
    // Nothing leaked onto every object through __proto__.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('answers malformed JSON text with a problem body', async () => {
    const { admin } = await signedInTeam(database);
    for (const payload of ['{', '{"a":', '\u0000', '{"a":1}{"b":2}', 'nul', '[1,2', '\ufeff{"a":1']) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: { ...admin.headers, 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode, payload).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
});
