// Every HTML page the server answers carries a strict Content-Security-Policy, generated from the route
// table so a page added later is checked without anyone writing a test for it: no inline script or
// style unless named by nonce or hash, no eval, no wildcard sources, no framing by strangers.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCategory } from '../../src/kb/kb-category-service.ts';
import { createArticle } from '../../src/kb/kb-service.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { defaultPolicy } from '../../src/platform/http/default-csp.ts';
import type { App } from '../../src/platform/http/server.ts';
import { describeEachDatabase, sharedDatabase } from '../support/databases.ts';
import { makeWorkspace } from '../support/factories.ts';
import { testApp } from '../support/http.ts';

/** Source lists that would let injected markup run script or style. */
function weaknesses(policy: string): string[] {
  const directives = new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
  const found: string[] = [];
  for (const name of ['script-src', 'style-src']) {
    const sources = directives.get(name) ?? directives.get('default-src');
    if (!sources) found.push(`no ${name} or default-src`);
    for (const source of sources ?? [])
      if (!/^('self'|'none'|'nonce-[A-Za-z0-9+/=]+'|'sha256-[A-Za-z0-9+/=]+')$/.test(source))
        found.push(`${name} allows ${source}`);
  }
  for (const name of ['frame-ancestors', 'base-uri']) if (!directives.has(name)) found.push(`no ${name}`);
  if (policy.includes("'unsafe-")) found.push('an unsafe- keyword');
  return found;
}

describeEachDatabase('Content-Security-Policy of every HTML page', (kind) => {
  let database: Database;
  let app: App;
  let params: Record<string, string>;
  let categorySlug: string;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
    const { workspace, admin } = await makeWorkspace(database.db);
    const category = await createCategory(database.db, admin.actor, { name: 'Billing', description: '' });
    const article = await createArticle(database.db, admin.actor, {
      title: 'Download your invoice',
      body: 'Open **Billing** and press *Download*.',
      categoryId: category.id,
      status: 'published',
    });
    categorySlug = category.slug;
    params = { workspace: workspace.slug, slug: article.slug, id: article.id, number: '1' };
  });
  afterAll(() => app.close());

  it('sets one on every page, console to help center, and none needs unsafe-inline', async () => {
    const pages: string[] = [];
    const problems: string[] = [];
    for (const route of app.routeTable) {
      if (route.method !== 'GET' || route.websocket || route.url.startsWith('/assets/')) continue;
      const path = route.url
        .replace(/\/categories\/:slug/, `/categories/${categorySlug}`)
        .replace(/:([A-Za-z]+)/g, (_, name: string) => params[name] ?? crypto.randomUUID())
        .replace(/\*$/, 'tickets');
      // Survey links carry a sealed token (here a bad one, which gets its own page); searches a query.
      const url = `${path}?${path.startsWith('/feedback/survey') ? 't=bogus' : 'q=invoice'}`;
      const response = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      if (!String(response.headers['content-type']).startsWith('text/html')) continue;
      pages.push(route.url);
      const policy = response.headers['content-security-policy'];
      if (typeof policy !== 'string') problems.push(`${url}: no policy`);
      else for (const weakness of weaknesses(policy)) problems.push(`${url}: ${weakness}`);
    }
    expect(problems).toEqual([]);
    // The console, the help center, the contact form, the portal and the survey and feedback pages.
    for (const expected of [
      '/*',
      '/help/:workspace',
      '/help/:workspace/articles/:slug',
      '/help/:workspace/contact',
      '/help/:workspace/portal',
      '/feedback/survey',
      '/feedback/form/:workspace',
    ])
      expect(pages).toContain(expected);
  });

  it('gives a page that set none a policy allowing only the styles of its own head', async () => {
    const sent = await app.inject({
      method: 'POST',
      url: `/feedback/form/${params.workspace}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'body=Great+service',
    });
    expect(sent.headers['content-type']).toMatch(/^text\/html/);
    expect(weaknesses(String(sent.headers['content-security-policy']))).toEqual([]);

    const page =
      '<html><head><style>p{color:red}</style></head><body><style>p{color:blue}</style></body></html>';
    const policy = defaultPolicy(page);
    expect(policy).toContain("style-src 'sha256-");
    expect(policy.match(/'sha256-/g)).toHaveLength(1);
    expect(policy).toContain("default-src 'none'");
    expect(defaultPolicy('<p>no head</p>')).toContain("style-src 'none'");
  });
});
