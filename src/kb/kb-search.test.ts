import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { kbSearchLog } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { createSynonym } from './kb-feedback-service.ts';
import { importArticles } from './kb-import.ts';
import { type KbSearchInput, searchArticles } from './kb-search.ts';
import { createArticle } from './kb-service.ts';

describeEachDatabase('knowledge base search', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = (await sharedDatabase(kind)).db;
  });

  const publish = (actor: Actor, title: string, body: string, extra: { internal?: boolean } = {}) =>
    createArticle(db, actor, { title, body, status: 'published', ...extra });

  const titles = async (actor: Actor, query: string, extra: Partial<KbSearchInput> = {}) => {
    const { hits } = await searchArticles(db, {
      workspaceId: actor.workspaceId,
      audience: 'public',
      query,
      source: 'api',
      log: false,
      ...extra,
    });
    return hits.map((h) => h.title);
  };

  it('ranks a title match above an article that only mentions the words in its body', async () => {
    const { admin } = await makeWorkspace(db);
    await publish(admin.actor, 'Shipping and delivery', 'We deliver worldwide. Invoices are emailed.');
    await publish(admin.actor, 'Download your invoice', 'Open Billing and press Download.');
    expect(await titles(admin.actor, 'invoice')).toEqual(['Download your invoice', 'Shipping and delivery']);
  });

  it('matches the word being typed as a prefix, in the body too, and only while typing', async () => {
    const { admin } = await makeWorkspace(db);
    await publish(admin.actor, 'Stop paying', 'Cancel subscriptions at any time.');
    expect(await titles(admin.actor, 'cancel subscr')).toEqual(['Stop paying']);
    expect(await titles(admin.actor, 'subscr', { prefix: false })).toEqual([]);
  });

  it('forgives a typo through trigram similarity of titles', async () => {
    const { admin } = await makeWorkspace(db);
    await publish(admin.actor, 'Change your password', 'Open Settings, then Security.');
    await publish(admin.actor, 'Export your data', 'Download a zip file.');
    expect(await titles(admin.actor, 'chnage pasword', { prefix: false })).toEqual(['Change your password']);
  });

  it("uses the workspace's synonyms, and only that workspace's", async () => {
    const { admin } = await makeWorkspace(db);
    const other = await makeWorkspace(db);
    await publish(admin.actor, 'Refund policy', 'Money goes back to your card within 5 days.');
    await publish(other.admin.actor, 'Refund policy', 'Money goes back to your card within 5 days.');
    expect(await titles(admin.actor, 'reimbursement', { prefix: false })).toEqual([]);
    await createSynonym(db, admin.actor, { terms: ['refund', 'reimbursement'] });
    expect(await titles(admin.actor, 'reimbursement', { prefix: false })).toEqual(['Refund policy']);
    expect(await titles(other.admin.actor, 'reimbursement', { prefix: false })).toEqual([]);
  });

  it("never finds another workspace's articles, nor internal ones for the public", async () => {
    const { admin } = await makeWorkspace(db);
    const other = await makeWorkspace(db);
    await publish(other.admin.actor, 'Warranty claims', 'Send us the receipt.');
    await publish(admin.actor, 'Warranty internal notes', 'Approve claims under 50 euros.', {
      internal: true,
    });
    expect(await titles(admin.actor, 'warranty')).toEqual([]);
    expect(await titles(admin.actor, 'warranty', { audience: 'agents' })).toEqual([
      'Warranty internal notes',
    ]);
    expect(await titles(other.admin.actor, 'warranty')).toEqual(['Warranty claims']);
  });

  it('logs a search with its result count unless told not to', async () => {
    const { admin } = await makeWorkspace(db);
    await publish(admin.actor, 'Opening hours', 'We are open 9 to 5.');
    const { searchId } = await searchArticles(db, {
      workspaceId: admin.actor.workspaceId,
      audience: 'public',
      query: '  Opening  HOURS ',
      source: 'help_center',
    });
    const [row] = await db.select().from(kbSearchLog).where(eq(kbSearchLog.id, searchId!));
    expect(row).toMatchObject({ normalizedQuery: 'opening hours', resultsCount: 1, source: 'help_center' });
  });

  it('narrows a search of only common words to articles holding the two rarest, best first', async () => {
    const { admin } = await makeWorkspace(db);
    // 320 articles mention "account" and "settings" (more than the candidate pool of 300), most
    // alongside other words: the narrowed query must still surface the one titled by both.
    const filler = Array.from({ length: 320 }, (_, i) => ({
      title: `Topic ${i}`,
      body: `Your account page lists topic ${i}. Settings for ${i % 2 ? 'email' : 'privacy'} live there too.`,
      slug: `filler-${i}`,
      status: 'published' as const,
    }));
    await importArticles(db, admin.actor, [
      ...filler,
      {
        title: 'Account settings',
        body: 'Where every account setting lives.',
        slug: 'target',
        status: 'published',
      },
    ]);
    const found = await titles(admin.actor, 'account settings', { limit: 5 });
    expect(found[0]).toBe('Account settings');
    expect(found).toHaveLength(5);
  });
});
