import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedDatabase } from '../../../test/support/databases.ts';
import { testApp } from '../../../test/support/http.ts';
import type { App } from './server.ts';

let app: App;
beforeAll(async () => {
  app = await testApp(await sharedDatabase('pglite'));
});
afterAll(() => app.close());

it('serves health without auth', async () => {
  const response = await app.inject({ method: 'GET', url: '/api/v1/health' });
  expect(response.json()).toEqual({ status: 'ok' });
});

it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
  const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  expect(response.statusCode).toBe(200);
  const doc = response.json();
  expect(doc.openapi).toBe('3.1.0');
  for (const path of [
    '/api/v1/tickets',
    '/api/v1/tickets/{id}',
    '/api/v1/tickets/{id}/messages',
    '/api/v1/tickets/{id}/merge',
    '/api/v1/customers',
    '/api/v1/auth/login',
    '/api/v1/tokens',
    '/api/v1/teams',
    '/api/v1/tags',
    '/api/v1/users',
    '/api/v1/companies',
  ]) {
    expect(Object.keys(doc.paths), path).toContain(path);
  }
  const create = doc.paths['/api/v1/tickets'].post;
  expect(create.requestBody.content['application/json'].schema.properties.subject).toMatchObject({
    type: 'string',
  });
  expect(create.responses['201']).toBeDefined();
});
