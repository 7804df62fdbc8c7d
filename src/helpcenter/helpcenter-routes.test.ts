import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testDeps } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { kbArticleVotes } from '../db/schema/index.ts';
import { createCategory } from '../kb/kb-category-service.ts';
import { createArticle } from '../kb/kb-service.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

const HOSTILE = `# Hello

<script>alert('body')</script>
<img src="x" onerror="alert('img')">
<a href="javascript:alert('link')">click</a>
<iframe src="https://evil.example"></iframe>
<p style="background:url(javascript:alert(1))" onclick="alert('p')">Styled</p>

Real **content** stays.`;

describeEachDatabase('help center pages', (kind) => {
  let database: Database;
  let app: App;
  let origin: string;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await buildApp(testDeps(database));
    origin = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app?.close());

  async function helpCenter() {
    const { workspace, admin } = await makeWorkspace(database.db);
    const category = await createCategory(database.db, admin.actor, {
      name: 'Billing',
      description: 'Invoices and payments',
    });
    const article = await createArticle(database.db, admin.actor, {
      title: 'Download your invoice',
      body: 'Open **Billing** and press *Download*.',
      categoryId: category.id,
      status: 'published',
    });
    const draft = await createArticle(database.db, admin.actor, {
      title: 'Invoice draft notes',
      body: 'Not ready.',
      categoryId: category.id,
    });
    const internal = await createArticle(database.db, admin.actor, {
      title: 'Invoice override codes',
      body: 'Agents only.',
      categoryId: category.id,
      internal: true,
      status: 'published',
    });
    const base = `${origin}/help/${workspace.slug}`;
    return { workspace, admin, category, article, draft, internal, base };
  }

  const get = async (url: string) => {
    const response = await fetch(url, { redirect: 'manual' });
    return { response, text: await response.text() };
  };

  it('serves the home page with categories and published articles only, under a strict CSP', async () => {
    const { base, workspace } = await helpCenter();
    const { response, text } = await get(base);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(text).toContain('Billing');
    expect(text).toContain('Download your invoice');
    expect(text).not.toContain('Invoice draft notes');
    expect(text).not.toContain('Invoice override codes');
    expect(text).toContain(`<link rel="canonical" href="${base}">`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    // Every script and style on the page carries this response's nonce.
    const tags = [...text.matchAll(/<(script|style)\b[^>]*>/g)].map((m) => m[0]);
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
    expect(text).toContain(workspace.name);
  });

  it('renders category and article pages with titles, descriptions and canonical links', async () => {
    const { base, category, article } = await helpCenter();
    const categoryPage = await get(`${base}/categories/${category.slug}`);
    expect(categoryPage.response.status).toBe(200);
    expect(categoryPage.text).toContain('<h1>Billing</h1>');
    expect(categoryPage.text).toContain(`href="/help/`);
    expect(categoryPage.text).not.toContain('Invoice draft notes');
    expect(categoryPage.text).toContain(`<link rel="canonical" href="${base}/categories/billing">`);

    const articlePage = await get(`${base}/articles/${article.slug}?utm_source=x`);
    expect(articlePage.response.status).toBe(200);
    expect(articlePage.text).toContain('<title>Download your invoice');
    expect(articlePage.text).toContain(
      '<meta name="description" content="Open Billing and press Download.">',
    );
    expect(articlePage.text).toContain(
      `<link rel="canonical" href="${base}/articles/download-your-invoice">`,
    );
    expect(articlePage.text).toContain('<strong>Billing</strong>');
    expect(articlePage.text).toContain('Was this helpful?');
  });

  it('answers a missing article, a draft, an internal article and an unknown help center with a 404 page', async () => {
    const { base, draft, internal } = await helpCenter();
    for (const url of [
      `${base}/articles/no-such-article`,
      `${base}/articles/${draft.slug}`,
      `${base}/articles/${internal.slug}`,
      `${base}/categories/nope`,
      `${origin}/help/no-such-workspace-${Date.now()}`,
    ]) {
      const { response, text } = await get(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(text).toContain('<h1>Not found</h1>');
      expect(text).toContain('noindex');
      expect(text).not.toContain('Agents only');
    }
  });

  it("never shows another workspace's articles, by URL or by search", async () => {
    const mine = await helpCenter();
    const theirs = await helpCenter();
    await createArticle(database.db, theirs.admin.actor, {
      title: 'Secret pricing for partners',
      body: 'Partners pay less.',
      status: 'published',
    });
    expect((await get(`${mine.base}/articles/secret-pricing-for-partners`)).response.status).toBe(404);
    const results = await get(`${mine.base}/search?q=partners+pricing`);
    expect(results.response.status).toBe(200);
    expect(results.text).not.toContain('Secret pricing');
    expect(results.text).toContain('No articles match');
    const api = await fetch(`${mine.base.replace('/help/', '/api/v1/help/')}/search?q=partners`);
    expect((await api.json()).data).toEqual([]);
  });

  it('lists search results with links that carry the search, and never drafts or internal articles', async () => {
    const { base, workspace } = await helpCenter();
    const { response, text } = await get(`${base}/search?q=invoice`);
    expect(response.status).toBe(200);
    expect(text).toContain('Results for “invoice”');
    expect(text).toMatch(/href="\/help\/[^"]+\/articles\/download-your-invoice\?search=[0-9a-f-]{36}"/);
    expect(text).not.toContain('Invoice draft notes');
    expect(text).not.toContain('Invoice override codes');
    expect(text).toContain('noindex');
    const api = await fetch(`${origin}/api/v1/help/${workspace.slug}/search?q=invoi&typing=1`);
    const body = await api.json();
    expect(body.data.map((h: { title: string }) => h.title)).toEqual(['Download your invoice']);
    expect(body.searchId).toBeNull();
  });

  it('escapes the query and sanitises hostile Markdown and HTML in articles', async () => {
    const { base, admin } = await helpCenter();
    const hostile = await createArticle(database.db, admin.actor, {
      title: '<img src=x onerror=alert(1)> Hostile',
      body: HOSTILE,
      status: 'published',
    });
    const { text } = await get(`${base}/articles/${hostile.slug}`);
    expect(text).toContain('Real <strong>content</strong> stays.');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt; Hostile');
    for (const bad of [
      "alert('body')",
      'onerror="',
      'javascript:',
      '<iframe',
      'onclick',
      'style="background',
    ])
      expect(text).not.toContain(bad);
    const search = await get(`${base}/search?q=${encodeURIComponent('"><script>alert(2)</script>')}`);
    expect(search.text).not.toContain('<script>alert(2)');
    expect(search.text).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('lists the home, categories and public articles in sitemap.xml with absolute URLs', async () => {
    const { base } = await helpCenter();
    const { response, text } = await get(`${base}/sitemap.xml`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(text).toContain(`<loc>${base}</loc>`);
    expect(text).toContain(`<loc>${base}/categories/billing</loc>`);
    expect(text).toContain(`<loc>${base}/articles/download-your-invoice</loc>`);
    expect(text).not.toContain('invoice-draft-notes');
    expect(text).not.toContain('invoice-override-codes');
  });

  it('records "Was this helpful?" from the plain form and from the JSON API', async () => {
    const { base, article, workspace, internal } = await helpCenter();
    const form = await fetch(`${base}/articles/${article.slug}/vote`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        articleId: article.id,
        helpful: 'no',
        comment: 'Where is Billing?',
        searchId: '',
      }),
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe(
      `/help/${workspace.slug}/articles/${article.slug}?voted=1#vote`,
    );
    const thanks = await get(`${base}/articles/${article.slug}?voted=1`);
    expect(thanks.text).toContain('Thanks for your feedback!');

    const api = await fetch(`${origin}/api/v1/help/${workspace.slug}/articles/${article.id}/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ helpful: true }),
    });
    expect(api.status).toBe(201);
    const votes = await database.db
      .select({ helpful: kbArticleVotes.helpful, comment: kbArticleVotes.comment })
      .from(kbArticleVotes)
      .where(and(eq(kbArticleVotes.articleId, article.id), eq(kbArticleVotes.workspaceId, workspace.id)));
    expect(votes).toEqual(
      expect.arrayContaining([
        { helpful: false, comment: 'Where is Billing?' },
        { helpful: true, comment: null },
      ]),
    );
    const onInternal = await fetch(`${origin}/api/v1/help/${workspace.slug}/articles/${internal.id}/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ helpful: true }),
    });
    expect(onInternal.status).toBe(404);
  });

  it('shows the brand, and Contact us leading to the contact form until an admin sets another link', async () => {
    const { base, admin } = await helpCenter();
    expect((await get(base)).text).toContain(`<a href="${new URL(base).pathname}/contact">Contact us</a>`);
    const patch = await fetch(`${origin}/api/v1/help-center/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...(await bearerFor(database, admin.actor)) },
      body: JSON.stringify({ name: 'Acme <Support>', color: '#ff0000', contactUrl: 'mailto:help@acme.test' }),
    });
    expect(patch.status).toBe(200);
    // The workspace brand is cached for a few seconds per process.
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    const { text } = await get(base);
    expect(text).toContain('Acme &lt;Support&gt;');
    expect(text).toContain('--accent:#ff0000');
    expect(text).toContain('<a href="mailto:help@acme.test">Contact us</a>');
  });
});
