// Every public route is rate-limited per client address, generated from the route table so a public
// route added later cannot escape: each declares its limit (in its config, or an onRequest hook made by
// app.rateLimit() when several routes share one), or is listed here with the reason it needs none.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import type { App } from '../../src/platform/http/server.ts';
import { describeEachDatabase, sharedDatabase } from '../support/databases.ts';
import { testApp } from '../support/http.ts';

const exempt: Record<string, string> = {
  'GET /api/v1/health': 'answers a constant, touching nothing',
  'GET /api/v1/ready': 'one SELECT for load balancers, which probe from a single address',
  'GET /metrics': 'refused without RAPPORT_METRICS_TOKEN except on loopback',
  'GET /api/v1/openapi.json': 'a document built once at start',
  'GET /*': "the console's index.html, a static file",
  'GET /widget.js': 'a static file, cached by browsers and proxies',
};

describeEachDatabase('rate limits of public routes', (kind) => {
  let database: Database;
  let app: App;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  it('gives every public route a limit unless it is exempt for a stated reason', () => {
    const unlimited = app.routeTable
      .filter((route) => route.config.public && route.method !== 'HEAD' && !route.url.startsWith('/assets/'))
      .filter((route) => !route.rateLimited && !exempt[`${route.method} ${route.url}`])
      .map((route) => `${route.method} ${route.url}`);
    expect(unlimited).toEqual([]);
    // The list stays honest: an exempt route that gained a limit, or disappeared, leaves it.
    const names = new Set(app.routeTable.map((route) => `${route.method} ${route.url}`));
    for (const name of Object.keys(exempt)) expect(names, name).toContain(name);
  });

  it('answers 429 once a public route’s limit is spent, with Retry-After', async () => {
    const ask = () =>
      app.inject({ method: 'GET', url: '/api/v1/auth/session', remoteAddress: '203.0.113.9' });
    for (let i = 0; i < 600; i++) expect((await ask()).statusCode).toBe(200);
    const refused = await ask();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(200);
  });
});
