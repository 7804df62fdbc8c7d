import { and, eq, inArray } from 'drizzle-orm';
import { kbArticles, kbArticleVersions, kbCategories, outbox } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { wakeRelaysSoon } from '../platform/outbox/outbox.ts';
import { renderMarkdown } from './kb-markdown.ts';
import { requireWriter } from './kb-service.ts';
import { freeSlug, SLUG_PATTERN, slugify } from './kb-slug.ts';

export type ImportItem = {
  title: string;
  body: string;
  /** Names the article across runs: an item whose slug is already taken is skipped, not duplicated. */
  slug?: string | undefined;
  /** A category slug; created when the workspace has none by that slug. */
  category?: string | undefined;
  tags?: string[] | undefined;
  language?: string | undefined;
  internal?: boolean | undefined;
  status?: 'draft' | 'published' | undefined;
  reviewBy?: string | undefined;
};

const BATCH = 250;

async function categoryIds(db: Db, actor: Actor, slugs: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(slugs.map(slugify))];
  if (wanted.length === 0) return new Map();
  const existing = await db
    .select({ id: kbCategories.id, slug: kbCategories.slug })
    .from(kbCategories)
    .where(and(eq(kbCategories.workspaceId, actor.workspaceId), inArray(kbCategories.slug, wanted)));
  const ids = new Map(existing.map((c) => [c.slug, c.id]));
  const missing = wanted.filter((s) => !ids.has(s));
  if (missing.length > 0) {
    const made = await db
      .insert(kbCategories)
      .values(
        missing.map((slug) => ({ workspaceId: actor.workspaceId, slug, name: slug.replace(/-/g, ' ') })),
      )
      .returning({ id: kbCategories.id, slug: kbCategories.slug });
    for (const c of made) ids.set(c.slug, c.id);
  }
  return ids;
}

/**
 * Adds many articles at once (CLI import, evaluations): batches of 250, each one transaction with the
 * articles, their version 1 and one `kb.article.created` event each. An item with a slug already taken
 * is skipped, so a re-run adds only what is new; a title-made slug that is taken gets a suffix.
 * Calls `onProgress(done, total)` after each batch.
 */
export async function importArticles(
  db: Db,
  actor: Actor,
  items: ImportItem[],
  onProgress?: (done: number, total: number) => void,
): Promise<{ created: number; skipped: number }> {
  requireWriter(actor);
  const taken = new Map<string, Set<string>>();
  const existing = await db
    .select({ slug: kbArticles.slug, language: kbArticles.language })
    .from(kbArticles)
    .where(eq(kbArticles.workspaceId, actor.workspaceId));
  for (const row of existing) {
    const set = taken.get(row.language) ?? new Set<string>();
    set.add(row.slug);
    taken.set(row.language, set);
  }
  let done = 0;
  let created = 0;
  for (let start = 0; start < items.length; start += BATCH) {
    const batch = items.slice(start, start + BATCH).filter((item) => {
      const named = item.slug && SLUG_PATTERN.test(item.slug);
      return !(named && taken.get(item.language ?? 'en')?.has(item.slug!));
    });
    if (batch.length > 0)
      await db.transaction(async (tx) => {
        const categories = await categoryIds(
          tx,
          actor,
          batch.flatMap((i) => (i.category ? [i.category] : [])),
        );
        const values = batch.map((item) => {
          const language = item.language ?? 'en';
          const slugs = taken.get(language) ?? new Set<string>();
          taken.set(language, slugs);
          const wanted = item.slug && SLUG_PATTERN.test(item.slug) ? item.slug : slugify(item.title);
          const slug = freeSlug(wanted, slugs);
          slugs.add(slug);
          const { html, text } = renderMarkdown(item.body);
          const published = (item.status ?? 'published') === 'published';
          return {
            workspaceId: actor.workspaceId,
            categoryId: item.category ? (categories.get(slugify(item.category)) ?? null) : null,
            slug,
            status: published ? ('published' as const) : ('draft' as const),
            internal: item.internal ?? false,
            language,
            tags: [...new Set((item.tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))],
            authorId: actor.userId,
            reviewBy: item.reviewBy ?? null,
            title: item.title.trim(),
            body: item.body,
            bodyHtml: html,
            bodyText: text,
            publishedAt: published ? new Date() : null,
          };
        });
        const rows = await tx.insert(kbArticles).values(values).returning({
          id: kbArticles.id,
          title: kbArticles.title,
          body: kbArticles.body,
          slug: kbArticles.slug,
          language: kbArticles.language,
        });
        await tx.insert(kbArticleVersions).values(
          rows.map((r) => ({
            workspaceId: actor.workspaceId,
            articleId: r.id,
            version: 1,
            title: r.title,
            body: r.body,
            editorId: actor.userId,
          })),
        );
        await tx.insert(outbox).values(
          rows.map((r) => ({
            workspaceId: actor.workspaceId,
            type: 'kb.article.created',
            payload: { id: r.id, slug: r.slug, language: r.language, actorId: actor.userId, imported: true },
          })),
        );
      });
    created += batch.length;
    done = Math.min(start + BATCH, items.length);
    onProgress?.(done, items.length);
  }
  if (created > 0) wakeRelaysSoon(db);
  return { created, skipped: items.length - created };
}
