import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { outbox } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import { createCategory } from './kb-category-service.ts';
import {
  agentReader,
  createArticle,
  getArticle,
  getArticleBySlug,
  type KbReader,
  listArticles,
  listVersions,
  restoreVersion,
  setArticleStatus,
  updateArticle,
} from './kb-service.ts';

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
  );

describeEachDatabase('knowledge base service', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = (await sharedDatabase(kind)).db;
  });

  const publicOf = (workspaceId: string): KbReader => ({ workspaceId, audience: 'public' });

  it('keeps drafts and archived articles from the public and shows them to agents', async () => {
    const { admin } = await makeWorkspace(db);
    const ws = admin.actor.workspaceId;
    const article = await createArticle(db, admin.actor, {
      title: 'Reset your password',
      body: 'Click *Forgot*.',
    });
    expect(article).toMatchObject({
      status: 'draft',
      slug: 'reset-your-password',
      version: 1,
      publishedAt: null,
    });
    expect(article.bodyHtml).toBe('<p>Click <em>Forgot</em>.</p>\n');
    expect(await code(getArticle(db, publicOf(ws), article.id))).toBe('not_found');
    expect((await getArticle(db, agentReader(admin.actor), article.id)).id).toBe(article.id);

    const published = await setArticleStatus(db, admin.actor, article.id, 'published');
    expect(published.publishedAt).toBeInstanceOf(Date);
    expect((await getArticleBySlug(db, publicOf(ws), { slug: 'reset-your-password' })).id).toBe(article.id);

    const archived = await setArticleStatus(db, admin.actor, article.id, 'archived');
    expect(archived.status).toBe('archived');
    expect(await code(getArticleBySlug(db, publicOf(ws), { slug: 'reset-your-password' }))).toBe('not_found');
    expect(await listArticles(db, publicOf(ws))).toEqual([]);
    expect(
      (await listArticles(db, agentReader(admin.actor), { status: 'archived' })).map((a) => a.id),
    ).toEqual([article.id]);
    const events = await db.select({ type: outbox.type }).from(outbox).where(eq(outbox.workspaceId, ws));
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['kb.article.created', 'kb.article.published', 'kb.article.archived']),
    );
  });

  it('never shows an internal article to the public, even when published', async () => {
    const { admin } = await makeWorkspace(db);
    const ws = admin.actor.workspaceId;
    const secret = await createArticle(db, admin.actor, {
      title: 'Refund override codes',
      body: 'Use code 1234.',
      internal: true,
      status: 'published',
    });
    expect(await code(getArticle(db, publicOf(ws), secret.id))).toBe('not_found');
    expect(await code(getArticleBySlug(db, publicOf(ws), { slug: secret.slug }))).toBe('not_found');
    expect(await listArticles(db, publicOf(ws))).toEqual([]);
    expect((await listArticles(db, agentReader(admin.actor))).map((a) => a.id)).toEqual([secret.id]);
  });

  it('writes a version for each content change and restores an old one as a new version', async () => {
    const { admin } = await makeWorkspace(db);
    const article = await createArticle(db, admin.actor, { title: 'Shipping times', body: 'Two days.' });
    await updateArticle(db, admin.actor, article.id, { body: 'Three days.' });
    const tagged = await updateArticle(db, admin.actor, article.id, { tags: ['Shipping'] });
    expect(tagged.version).toBe(2);
    const restored = await restoreVersion(db, admin.actor, article.id, 1);
    expect(restored).toMatchObject({ version: 3, body: 'Two days.', tags: ['shipping'] });
    expect(restored.bodyText).toBe('Two days.');
    const versions = await listVersions(db, admin.actor, article.id);
    expect(versions.map((v) => [v.version, v.body])).toEqual([
      [3, 'Two days.'],
      [2, 'Three days.'],
      [1, 'Two days.'],
    ]);
    expect(await code(restoreVersion(db, admin.actor, article.id, 9))).toBe('not_found');
  });

  it('scopes every read and write to the workspace, and light agents cannot write', async () => {
    const { admin } = await makeWorkspace(db);
    const other = await makeWorkspace(db);
    const light = await makeUser(db, admin.actor.workspaceId, 'light');
    const article = await createArticle(db, admin.actor, { title: 'Ours', body: 'x', status: 'published' });
    expect(await code(getArticle(db, agentReader(other.admin.actor), article.id))).toBe('not_found');
    expect(await code(updateArticle(db, other.admin.actor, article.id, { title: 'Theirs' }))).toBe(
      'not_found',
    );
    expect(await code(listVersions(db, other.admin.actor, article.id))).toBe('not_found');
    expect(await code(updateArticle(db, light.actor, article.id, { title: 'Light' }))).toBe('forbidden');
    const foreignCategory = await createCategory(db, other.admin.actor, { name: 'Theirs' });
    expect(
      await code(
        createArticle(db, admin.actor, { title: 'Sneaky', body: '', categoryId: foreignCategory.id }),
      ),
    ).toBe('validation_failed');
  });

  it('gives a second article with the same title a free slug', async () => {
    const { admin } = await makeWorkspace(db);
    const first = await createArticle(db, admin.actor, { title: 'Billing FAQ', body: '' });
    const second = await createArticle(db, admin.actor, { title: 'Billing FAQ', body: '' });
    expect([first.slug, second.slug]).toEqual(['billing-faq', 'billing-faq-2']);
  });
});
