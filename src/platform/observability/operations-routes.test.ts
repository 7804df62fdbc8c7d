import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../../test/support/databases.ts';
import { signedInWorkspace, testApp } from '../../../test/support/http.ts';
import { type Database, openDatabase } from '../db/database.ts';
import type { App } from '../http/server.ts';

describeEachDatabase('operations routes', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  it('is ready when the database answers and every migration is applied', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready' });
  });

  it('serves Prometheus metrics with request durations by route template and the queue depth', async () => {
    const { headers } = await signedInWorkspace(database);
    await app.inject({ method: 'GET', url: '/api/v1/tickets', headers });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toMatch(
      /rapport_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/tickets",status="200"\} \d+/,
    );
    expect(response.body).toMatch(/rapport_queue_depth\{queue="outbox"\} \d+/);
    expect(response.body).toMatch(/rapport_websocket_connections \d+/);
  });

  it('answers /metrics elsewhere only with the configured token', async () => {
    const guarded = await testApp(database, { env: { RAPPORT_METRICS_TOKEN: 'scrape-secret-123' } });
    try {
      expect((await guarded.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(403);
      const wrong = { authorization: 'Bearer nope' };
      expect((await guarded.inject({ method: 'GET', url: '/metrics', headers: wrong })).statusCode).toBe(403);
      const right = { authorization: 'Bearer scrape-secret-123' };
      expect((await guarded.inject({ method: 'GET', url: '/metrics', headers: right })).statusCode).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});

it('is not ready while migrations are pending, with a problem body', async () => {
  const empty = await openDatabase({});
  const app = await testApp(empty);
  try {
    const response = await app.inject({ method: 'GET', url: '/api/v1/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.json().detail).toMatch(/Migrations not applied: 0000_init/);
  } finally {
    await app.close();
    await empty.close();
  }
});
