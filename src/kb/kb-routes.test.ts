import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { signedInTeam, testDeps } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

type Headers = Record<string, string>;

describeEachDatabase('knowledge base API', (kind) => {
  let database: Database;
  let app: App;
  let origin: string;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await buildApp(testDeps(database));
    origin = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app?.close());

  async function call(method: string, path: string, headers: Headers, body?: unknown) {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  it('needs a signed-in caller', async () => {
    expect((await call('GET', '/api/v1/kb/articles', {})).status).toBe(401);
    expect((await call('GET', '/api/v1/kb/search?q=x', {})).status).toBe(401);
  });

  it('creates, edits, publishes, archives and restores an article, keeping its versions', async () => {
    const { admin, agent } = await signedInTeam(database);
    const created = await call('POST', '/api/v1/kb/articles', agent.headers, {
      title: 'Reset your password',
      body: 'Press **Forgot password**.',
      tags: ['Account'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      slug: 'reset-your-password',
      version: 1,
      tags: ['account'],
      bodyHtml: '<p>Press <strong>Forgot password</strong>.</p>\n',
      permissions: { update: true, publish: true, delete: false },
    });
    const id = created.body.id as string;
    const edited = await call('PATCH', `/api/v1/kb/articles/${id}`, agent.headers, { body: 'Use the link.' });
    expect(edited.body).toMatchObject({ version: 2, body: 'Use the link.' });
    expect((await call('POST', `/api/v1/kb/articles/${id}/publish`, agent.headers)).body.status).toBe(
      'published',
    );
    expect((await call('POST', `/api/v1/kb/articles/${id}/archive`, agent.headers)).body.status).toBe(
      'archived',
    );
    expect((await call('POST', `/api/v1/kb/articles/${id}/unpublish`, agent.headers)).body.status).toBe(
      'draft',
    );

    const versions = await call('GET', `/api/v1/kb/articles/${id}/versions`, agent.headers);
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const restored = await call('POST', `/api/v1/kb/articles/${id}/versions/1/restore`, agent.headers);
    expect(restored.body).toMatchObject({ version: 3, body: 'Press **Forgot password**.' });
    expect((await call('POST', `/api/v1/kb/articles/${id}/versions/7/restore`, agent.headers)).status).toBe(
      404,
    );

    const listed = await call('GET', '/api/v1/kb/articles?status=draft', admin.headers);
    expect(listed.body.data.map((a: { id: string }) => a.id)).toEqual([id]);
    expect(listed.body.data[0].permissions.delete).toBe(true);

    expect((await call('DELETE', `/api/v1/kb/articles/${id}`, agent.headers)).status).toBe(403);
    expect((await call('DELETE', `/api/v1/kb/articles/${id}`, admin.headers)).status).toBe(204);
    expect((await call('GET', `/api/v1/kb/articles/${id}`, admin.headers)).status).toBe(404);
  });

  it('lets light agents read but not write, and answers problems with a code', async () => {
    const { agent, light } = await signedInTeam(database);
    const created = await call('POST', '/api/v1/kb/articles', agent.headers, { title: 'Hours', body: '9-5' });
    expect(
      (await call('GET', `/api/v1/kb/articles/${created.body.id}`, light.headers)).body.permissions,
    ).toEqual({
      update: false,
      publish: false,
      delete: false,
    });
    const refused = await call('PATCH', `/api/v1/kb/articles/${created.body.id}`, light.headers, {
      title: 'X',
    });
    expect(refused.status).toBe(403);
    const bad = await call('POST', '/api/v1/kb/articles', agent.headers, { title: '', slug: 'Not A Slug' });
    expect(bad.status).toBe(400);
    expect(bad.body.type).toMatch(/validation/);
  });

  it("keeps every route to the caller's workspace", async () => {
    const mine = await signedInTeam(database);
    const theirs = await signedInTeam(database);
    const article = await call('POST', '/api/v1/kb/articles', mine.agent.headers, {
      title: 'Our secret refund rules',
      body: 'Refund anything.',
      status: 'published',
    });
    const id = article.body.id as string;
    const other = theirs.admin.headers;
    expect((await call('GET', `/api/v1/kb/articles/${id}`, other)).status).toBe(404);
    expect((await call('PATCH', `/api/v1/kb/articles/${id}`, other, { title: 'Mine now' })).status).toBe(404);
    expect((await call('POST', `/api/v1/kb/articles/${id}/archive`, other)).status).toBe(404);
    expect((await call('GET', `/api/v1/kb/articles/${id}/versions`, other)).status).toBe(404);
    expect((await call('POST', `/api/v1/kb/articles/${id}/versions/1/restore`, other)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/kb/articles/${id}`, other)).status).toBe(404);
    expect((await call('GET', '/api/v1/kb/articles', other)).body.data).toEqual([]);
    expect((await call('GET', '/api/v1/kb/search?q=refund', other)).body.data).toEqual([]);
    await call('GET', '/api/v1/kb/search?q=secret+rules', mine.agent.headers);
    const theirTop = await call('GET', '/api/v1/kb/analytics/top-queries', other);
    expect(theirTop.body.data.map((q: { query: string }) => q.query)).toEqual(['refund']);
  });

  it('manages categories and synonyms (admins only) and searches drafts and internal articles', async () => {
    const { admin, agent } = await signedInTeam(database);
    expect((await call('POST', '/api/v1/kb/categories', agent.headers, { name: 'Billing' })).status).toBe(
      403,
    );
    const category = await call('POST', '/api/v1/kb/categories', admin.headers, { name: 'Billing' });
    expect(category.status).toBe(201);
    const section = await call('POST', '/api/v1/kb/categories', admin.headers, {
      name: 'Invoices',
      parentId: category.body.id,
    });
    expect(section.body).toMatchObject({ slug: 'invoices', parentId: category.body.id });
    const renamed = await call('PATCH', `/api/v1/kb/categories/${section.body.id}`, admin.headers, {
      name: 'Invoices and receipts',
    });
    expect(renamed.body.name).toBe('Invoices and receipts');
    const categories = await call('GET', '/api/v1/kb/categories', agent.headers);
    expect(categories.body.data).toHaveLength(2);

    await call('POST', '/api/v1/kb/articles', agent.headers, {
      title: 'Refund policy',
      body: 'Money back within 30 days.',
      internal: true,
      categoryId: section.body.id,
    });
    const synonym = await call('POST', '/api/v1/kb/synonyms', admin.headers, {
      terms: ['refund', 'chargeback'],
    });
    expect(synonym.status).toBe(201);
    const found = await call('GET', '/api/v1/kb/search?q=chargeback', agent.headers);
    expect(found.body.data.map((h: { title: string }) => h.title)).toEqual(['Refund policy']);
    expect(found.body.data[0]).toMatchObject({ internal: true, status: 'draft' });
    expect(found.body.searchId).toMatch(/^[0-9a-f-]{36}$/);
    const inCategory = await call(
      'GET',
      `/api/v1/kb/search?q=refund&categoryId=${category.body.id}`,
      agent.headers,
    );
    expect(inCategory.body.data).toHaveLength(1);

    expect((await call('DELETE', `/api/v1/kb/synonyms/${synonym.body.id}`, admin.headers)).status).toBe(204);
    expect((await call('GET', '/api/v1/kb/synonyms', agent.headers)).body.data).toEqual([]);
    expect((await call('DELETE', `/api/v1/kb/categories/${category.body.id}`, admin.headers)).status).toBe(
      204,
    );
    expect((await call('GET', '/api/v1/kb/categories', agent.headers)).body.data).toEqual([]);
  });

  it('reports top queries, queries without results and articles that never help', async () => {
    const { workspace, admin, agent } = await signedInTeam(database);
    const helpful = await call('POST', '/api/v1/kb/articles', agent.headers, {
      title: 'Track your order',
      body: 'Open the tracking link.',
      status: 'published',
    });
    const useless = await call('POST', '/api/v1/kb/articles', agent.headers, {
      title: 'Delivery zones',
      body: 'We deliver to many places.',
      status: 'published',
    });
    for (const q of [
      'track order',
      'Track  Order',
      'track order',
      'gift wrapping',
      'gift wrapping',
      'delivery',
    ])
      await call('GET', `/api/v1/help/${workspace.slug}/search?q=${encodeURIComponent(q)}`, {});
    await call('GET', '/api/v1/kb/search?q=gift+wrapping&typing=1', agent.headers);
    const vote = (id: string, yes: boolean) =>
      call(
        'POST',
        `/api/v1/help/${workspace.slug}/articles/${id}/votes`,
        {},
        { helpful: yes, comment: 'hm' },
      );
    await vote(helpful.body.id, true);
    await vote(helpful.body.id, false);
    await vote(useless.body.id, false);
    await vote(useless.body.id, false);

    const top = await call('GET', '/api/v1/kb/analytics/top-queries?days=7', admin.headers);
    expect(top.body.data[0]).toMatchObject({ query: 'track order', searches: 3, averageResults: 1 });
    expect(top.body.data.map((q: { query: string }) => q.query)).toEqual([
      'track order',
      'gift wrapping',
      'delivery',
    ]);
    const gaps = await call('GET', '/api/v1/kb/analytics/no-result-queries', agent.headers);
    expect(gaps.body.data).toEqual([{ query: 'gift wrapping', searches: 2, clicks: 0, averageResults: 0 }]);
    const unhelpful = await call('GET', '/api/v1/kb/analytics/unhelpful-articles', agent.headers);
    expect(unhelpful.body.data).toEqual([
      {
        id: useless.body.id,
        title: 'Delivery zones',
        slug: 'delivery-zones',
        language: 'en',
        votes: 2,
        comments: 2,
      },
    ]);
  });

  it('lists stale articles and clears them once reviewed', async () => {
    const { agent } = await signedInTeam(database);
    const article = await call('POST', '/api/v1/kb/articles', agent.headers, {
      title: 'Old prices',
      body: '10 euros',
      reviewBy: '2020-01-01',
    });
    const stale = await call('GET', '/api/v1/kb/articles/stale', agent.headers);
    expect(stale.body.data.map((a: { id: string }) => a.id)).toEqual([article.body.id]);
    const reviewed = await call('POST', `/api/v1/kb/articles/${article.body.id}/review`, agent.headers, {
      reviewBy: '2999-01-01',
    });
    expect(reviewed.body).toMatchObject({ reviewBy: '2999-01-01', reviewerId: agent.id });
    expect((await call('GET', '/api/v1/kb/articles/stale', agent.headers)).body.data).toEqual([]);
  });
});
