// Every route × every role, generated from the route table: a route added later is checked without
// anyone writing a test for it. Per-capability tests prove the finer rules (another workspace's record
// answers 404); this proves the floor: no route is open by accident, roles are enforced, and no route
// crashes on ids that exist nowhere.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { roleAtLeast } from '../../src/platform/auth/actor.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { App, RouteInfo } from '../../src/platform/http/server.ts';
import { describeEachDatabase, sharedDatabase } from '../support/databases.ts';
import { signedInTeam, testApp } from '../support/http.ts';

/** Routes whose success is too costly to run here, each covered by its own test. */
const skipped: Record<string, string> = {
  'POST /api/v1/demo/seed': 'seeds 300 tickets; covered by onboarding-routes.test.ts',
};

const roles = ['light', 'agent', 'admin'] as const;

function concreteUrl(route: RouteInfo): string {
  return route.url.replace(/:[A-Za-z]+/g, () => randomUUID()).replace(/\*$/, 'anything');
}

describeEachDatabase('authorization matrix', (kind) => {
  let database: Database;
  let app: App;
  let team: Awaited<ReturnType<typeof signedInTeam>>;
  let routes: RouteInfo[];

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
    team = await signedInTeam(database);
    routes = app.routeTable.filter(
      (route) => route.method !== 'HEAD' && !route.config.public && !skipped[`${route.method} ${route.url}`],
    );
  });
  afterAll(() => app.close());

  const call = (route: RouteInfo, url: string, headers: Record<string, string>) =>
    app.inject({
      method: route.method as 'GET',
      url,
      headers: {
        ...headers,
        ...(route.method === 'GET' || route.method === 'DELETE'
          ? {}
          : { 'content-type': 'application/json' }),
      },
      ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: '{}' }),
    });

  it('covers the API: every capability registers its routes in the table', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.some((r) => r.url === '/api/v1/tickets' && r.method === 'POST')).toBe(true);
  });

  it('answers 401 without credentials on every route not marked public', async () => {
    const open: string[] = [];
    for (const route of routes) {
      const response = await call(route, concreteUrl(route), {});
      if (response.statusCode !== 401) open.push(`${route.method} ${route.url} → ${response.statusCode}`);
    }
    expect(open).toEqual([]);
  });

  it('answers 403 to every role below the route’s least role, and never 401 or 5xx to the others', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      if (route.websocket) continue;
      const needed = route.config.minRole ?? (route.method === 'GET' ? 'light' : 'agent');
      for (const role of roles) {
        const response = await call(route, concreteUrl(route), team[role].headers);
        const status = response.statusCode;
        const allowed = roleAtLeast(role, needed);
        if (!allowed && status !== 403)
          wrong.push(`${role} ${route.method} ${route.url} → ${status}, expected 403`);
        if (allowed && (status === 401 || status >= 500))
          wrong.push(`${role} ${route.method} ${route.url} → ${status}: ${response.body.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describeEachDatabase('authorization matrix: another workspace', (kind) => {
  let database: Database;
  let app: App;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  /** The collection a `/:id` route belongs to: `/api/v1/tickets/:id/events` → `/api/v1/tickets`. */
  const collectionOf = (url: string) => url.split('/:')[0]!;

  it("answers 404 to another workspace's admin for every record reachable by id, and leaves it intact", async () => {
    const owner = await signedInTeam(database);
    const stranger = await signedInTeam(database);
    const post = (url: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url, headers: owner.admin.headers, payload });
    // One record of each kind the API lists, made the way a client would.
    for (const [url, payload] of [
      [
        '/api/v1/tickets',
        { subject: 'Private', customer: { email: 'owner-customer@example.test' }, message: { body: 'hi' } },
      ],
      ['/api/v1/companies', { name: 'Owner Ltd' }],
      ['/api/v1/teams', { name: 'Owners' }],
      ['/api/v1/webhooks', { url: 'https://hooks.example.com/owner', events: ['*'] }],
      ['/api/v1/canned-responses', { title: 'Hello', body: 'Hello {{customer.name}}' }],
      ['/api/v1/views', { name: 'Mine', filters: {} }],
      ['/api/v1/fields', { entity: 'ticket', key: 'order', label: 'Order', type: 'text' }],
      [
        '/api/v1/admin/recurring-tickets',
        {
          name: 'Weekly check',
          customer: { email: 'owner-customer@example.test' },
          template: { subject: 'Check', body: 'Check the backups' },
          rule: { frequency: 'weekly', weekdays: [1], time: '09:00', timeZone: 'Europe/Berlin' },
        },
      ],
    ] as const)
      expect((await post(url, payload)).statusCode, url).toBeLessThan(300);

    // Harvest the owner's ids from every list route.
    const ids = new Map<string, string[]>();
    const routes = app.routeTable.filter(
      (route) => route.method !== 'HEAD' && !route.config.public && !route.websocket,
    );
    for (const route of routes.filter((r) => r.method === 'GET' && !r.url.includes(':'))) {
      const response = await app.inject({ method: 'GET', url: route.url, headers: owner.admin.headers });
      if (response.statusCode !== 200) continue;
      const body = response.json() as { data?: unknown } | unknown[];
      const rows = Array.isArray(body) ? body : Array.isArray(body.data) ? body.data : [];
      const found = rows
        .map((row) => (row as { id?: unknown }).id)
        .filter((id): id is string => typeof id === 'string');
      if (found.length) ids.set(route.url, found);
    }
    expect([...ids.keys()]).toEqual(
      expect.arrayContaining(['/api/v1/tickets', '/api/v1/webhooks', '/api/v1/teams']),
    );

    const leaks: string[] = [];
    let probed = 0;
    for (const route of routes.filter((r) => /^[^:]*\/:id(\/|$)/.test(r.url))) {
      const owned = ids.get(collectionOf(route.url));
      if (!owned) continue;
      const id = owned[0]!;
      const url = route.url.replace(':id', id).replace(/:[A-Za-z]+/g, () => randomUUID());
      const write = route.method !== 'GET' && route.method !== 'DELETE';
      const response = await app.inject({
        method: route.method as 'GET',
        url,
        headers: { ...stranger.admin.headers, ...(write ? { 'content-type': 'application/json' } : {}) },
        ...(write ? { payload: '{}' } : {}),
      });
      probed++;
      // A write may fail validation before the lookup; it must never succeed or tell the record exists.
      const fine = response.statusCode === 404 || (route.method !== 'GET' && response.statusCode === 400);
      if (!fine) leaks.push(`${route.method} ${route.url} → ${response.statusCode}`);
      const list = await app.inject({
        method: 'GET',
        url: collectionOf(route.url),
        headers: owner.admin.headers,
      });
      if (!list.body.includes(id)) leaks.push(`${route.method} ${route.url} removed the owner's record`);
    }
    expect(leaks).toEqual([]);
    expect(probed).toBeGreaterThan(15);
  });
});
