import { and, asc, desc, eq, inArray, isNotNull, lt, ne, sql } from 'drizzle-orm';
import { type KbArticleStatus, kbArticles, kbArticleVersions, kbCategories } from '../db/schema/index.ts';
import { type Actor, roleAtLeast } from '../platform/auth/actor.ts';
import { type Db, isUniqueViolation } from '../platform/db/database.ts';
import { conflict, forbidden, invalid, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { renderMarkdown } from './kb-markdown.ts';
import { forgetWorkspace } from './kb-search-cache.ts';
import { freeSlug, SLUG_PATTERN, slugify } from './kb-slug.ts';

export type KbArticle = typeof kbArticles.$inferSelect;
export type KbArticleVersion = typeof kbArticleVersions.$inferSelect;

/** Who reads: agents see drafts and internal articles; the public sees published, non-internal ones only. */
export type KbReader = { workspaceId: string; audience: 'public' | 'agents' };
export const agentReader = (actor: Actor): KbReader => ({
  workspaceId: actor.workspaceId,
  audience: 'agents',
});

export type ArticleInput = {
  title: string;
  body: string;
  slug?: string | undefined;
  categoryId?: string | null | undefined;
  internal?: boolean | undefined;
  language?: string | undefined;
  tags?: string[] | undefined;
  reviewBy?: string | null | undefined;
  status?: 'draft' | 'published' | undefined;
  /** Another article's id: the new one is its variant in `language`. */
  translationOf?: string | undefined;
};
export type ArticlePatch = Partial<Omit<ArticleInput, 'translationOf' | 'status'>>;
export type ArticleFilter = {
  status?: KbArticleStatus | undefined;
  categoryId?: string | undefined;
  language?: string | undefined;
  tag?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
};

/** Light agents read the knowledge base; agents write it; only admins delete. */
export function requireWriter(actor: Actor) {
  if (!roleAtLeast(actor.role, 'agent')) throw forbidden('Light agents cannot edit the knowledge base');
}
export function requireAdmin(actor: Actor) {
  if (actor.role !== 'admin') throw forbidden('Only admins do this in the knowledge base');
}

const byId = (workspaceId: string, id: string) =>
  and(eq(kbArticles.id, id), eq(kbArticles.workspaceId, workspaceId));

const cleanTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];

async function event(
  tx: Db,
  actor: Actor,
  type: string,
  article: KbArticle,
  extra: Record<string, unknown> = {},
) {
  // Search keeps corpus statistics for a while; any article write makes them stale.
  forgetWorkspace(actor.workspaceId);
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    type,
    payload: {
      id: article.id,
      slug: article.slug,
      language: article.language,
      actorId: actor.userId,
      ...extra,
    },
  });
}

async function checkCategory(db: Db, workspaceId: string, categoryId: string | null | undefined) {
  if (!categoryId) return;
  const [row] = await db
    .select({ id: kbCategories.id })
    .from(kbCategories)
    .where(and(eq(kbCategories.id, categoryId), eq(kbCategories.workspaceId, workspaceId)));
  if (!row) throw invalid('No such category', [{ path: 'categoryId', message: 'not found' }]);
}

async function uniqueSlug(db: Db, workspaceId: string, language: string, wanted: string, except?: string) {
  const rows = await db
    .select({ slug: kbArticles.slug })
    .from(kbArticles)
    .where(
      and(
        eq(kbArticles.workspaceId, workspaceId),
        eq(kbArticles.language, language),
        sql`${kbArticles.slug} LIKE ${`${wanted}%`}`,
        except ? ne(kbArticles.id, except) : undefined,
      ),
    );
  return freeSlug(wanted, new Set(rows.map((r) => r.slug)));
}

function checkSlug(slug: string) {
  if (!SLUG_PATTERN.test(slug))
    throw invalid('Bad slug', [{ path: 'slug', message: 'lower-case words and dashes' }]);
}

const visibleTo = (reader: KbReader) =>
  and(
    eq(kbArticles.workspaceId, reader.workspaceId),
    reader.audience === 'public'
      ? and(eq(kbArticles.status, 'published'), eq(kbArticles.internal, false))
      : undefined,
  );

export async function listArticles(
  db: Db,
  reader: KbReader,
  filter: ArticleFilter = {},
): Promise<KbArticle[]> {
  return db
    .select()
    .from(kbArticles)
    .where(
      and(
        visibleTo(reader),
        filter.status ? eq(kbArticles.status, filter.status) : undefined,
        filter.categoryId ? eq(kbArticles.categoryId, filter.categoryId) : undefined,
        filter.language ? eq(kbArticles.language, filter.language) : undefined,
        filter.tag ? sql`${kbArticles.tags} @> ARRAY[${filter.tag.toLowerCase()}]::text[]` : undefined,
      ),
    )
    .orderBy(desc(kbArticles.updatedAt), asc(kbArticles.id))
    .limit(Math.min(filter.limit ?? 100, 500))
    .offset(filter.offset ?? 0);
}

/** Throws not_found for another workspace's article, and for an unpublished or internal one to the public. */
export async function getArticle(db: Db, reader: KbReader, id: string): Promise<KbArticle> {
  const [row] = await db
    .select()
    .from(kbArticles)
    .where(and(eq(kbArticles.id, id), visibleTo(reader)));
  if (!row) throw notFound('Article');
  return row;
}

/** The article at `slug` in `language` (default 'en'); not_found as getArticle. */
export async function getArticleBySlug(
  db: Db,
  reader: KbReader,
  input: { slug: string; language?: string | undefined },
): Promise<KbArticle> {
  const [row] = await db
    .select()
    .from(kbArticles)
    .where(
      and(
        visibleTo(reader),
        eq(kbArticles.slug, input.slug),
        eq(kbArticles.language, input.language ?? 'en'),
      ),
    );
  if (!row) throw notFound('Article');
  return row;
}

/** The language variants of an article, itself included, that the reader may see. */
export async function listTranslations(db: Db, reader: KbReader, id: string): Promise<KbArticle[]> {
  const article = await getArticle(db, reader, id);
  return db
    .select()
    .from(kbArticles)
    .where(and(visibleTo(reader), eq(kbArticles.translationGroupId, article.translationGroupId)))
    .orderBy(asc(kbArticles.language));
}

/** Creates an article and its version 1. Throws conflict when `translationOf` already has this language. */
export async function createArticle(db: Db, actor: Actor, input: ArticleInput): Promise<KbArticle> {
  requireWriter(actor);
  const language = input.language ?? 'en';
  return db.transaction(async (tx) => {
    await checkCategory(tx, actor.workspaceId, input.categoryId);
    const original = input.translationOf
      ? await getArticle(tx, agentReader(actor), input.translationOf)
      : undefined;
    if (input.slug) checkSlug(input.slug);
    const slug = await uniqueSlug(tx, actor.workspaceId, language, input.slug ?? slugify(input.title));
    const { html, text } = renderMarkdown(input.body);
    const published = input.status === 'published';
    const [row] = await tx
      .insert(kbArticles)
      .values({
        workspaceId: actor.workspaceId,
        categoryId: input.categoryId ?? original?.categoryId ?? null,
        slug,
        status: published ? 'published' : 'draft',
        internal: input.internal ?? original?.internal ?? false,
        language,
        ...(original && { translationGroupId: original.translationGroupId }),
        tags: cleanTags(input.tags ?? original?.tags ?? []),
        authorId: actor.userId,
        reviewBy: input.reviewBy ?? null,
        title: input.title.trim(),
        body: input.body,
        bodyHtml: html,
        bodyText: text,
        publishedAt: published ? sql`now()` : null,
      })
      .returning()
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw conflict(`The article already has a ${language} variant`);
        throw error;
      });
    await tx.insert(kbArticleVersions).values({
      workspaceId: actor.workspaceId,
      articleId: row!.id,
      version: 1,
      title: row!.title,
      body: row!.body,
      editorId: actor.userId,
    });
    await event(tx, actor, 'kb.article.created', row!);
    if (published) await event(tx, actor, 'kb.article.published', row!);
    return row!;
  });
}

/** Saves changes; a new title or body becomes the next version. */
export async function updateArticle(
  db: Db,
  actor: Actor,
  id: string,
  patch: ArticlePatch,
): Promise<KbArticle> {
  requireWriter(actor);
  return db.transaction(async (tx) => {
    const current = await getArticle(tx, agentReader(actor), id);
    await checkCategory(tx, actor.workspaceId, patch.categoryId);
    if (patch.slug !== undefined && patch.slug !== current.slug) {
      checkSlug(patch.slug);
      const free = await uniqueSlug(tx, actor.workspaceId, current.language, patch.slug, id);
      if (free !== patch.slug) throw conflict(`Slug ${patch.slug} is taken`);
    }
    const title = patch.title?.trim() ?? current.title;
    const body = patch.body ?? current.body;
    const contentChanged = title !== current.title || body !== current.body;
    const rendered = patch.body !== undefined ? renderMarkdown(body) : undefined;
    const [row] = await tx
      .update(kbArticles)
      .set({
        title,
        body,
        ...(rendered && { bodyHtml: rendered.html, bodyText: rendered.text }),
        ...(patch.slug !== undefined && { slug: patch.slug }),
        ...(patch.categoryId !== undefined && { categoryId: patch.categoryId }),
        ...(patch.internal !== undefined && { internal: patch.internal }),
        ...(patch.tags !== undefined && { tags: cleanTags(patch.tags) }),
        ...(patch.reviewBy !== undefined && { reviewBy: patch.reviewBy }),
        ...(contentChanged && { version: current.version + 1 }),
        updatedAt: sql`now()`,
      })
      .where(byId(actor.workspaceId, id))
      .returning();
    if (contentChanged) {
      await tx.insert(kbArticleVersions).values({
        workspaceId: actor.workspaceId,
        articleId: id,
        version: current.version + 1,
        title,
        body,
        editorId: actor.userId,
      });
    }
    await event(tx, actor, 'kb.article.updated', row!, { version: row!.version });
    return row!;
  });
}

/** Moves an article to draft, published or archived; publishing stamps `publishedAt` the first time. */
export async function setArticleStatus(
  db: Db,
  actor: Actor,
  id: string,
  status: KbArticleStatus,
): Promise<KbArticle> {
  requireWriter(actor);
  return db.transaction(async (tx) => {
    const current = await getArticle(tx, agentReader(actor), id);
    if (current.status === status) return current;
    const [row] = await tx
      .update(kbArticles)
      .set({
        status,
        ...(status === 'published' && { publishedAt: sql`coalesce(${kbArticles.publishedAt}, now())` }),
        updatedAt: sql`now()`,
      })
      .where(byId(actor.workspaceId, id))
      .returning();
    const type = status === 'draft' ? 'kb.article.unpublished' : `kb.article.${status}`;
    await event(tx, actor, type, row!, { from: current.status });
    return row!;
  });
}

export async function deleteArticle(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(kbArticles).where(byId(actor.workspaceId, id)).returning();
    if (!row) throw notFound('Article');
    await event(tx, actor, 'kb.article.deleted', row);
  });
}

/** Records that someone checked the article; `reviewBy` sets the next date it counts as stale. */
export async function markReviewed(
  db: Db,
  actor: Actor,
  id: string,
  input: { reviewBy: string | null },
): Promise<KbArticle> {
  requireWriter(actor);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(kbArticles)
      .set({ reviewerId: actor.userId, reviewedAt: sql`now()`, reviewBy: input.reviewBy })
      .where(byId(actor.workspaceId, id))
      .returning();
    if (!row) throw notFound('Article');
    await event(tx, actor, 'kb.article.reviewed', row, { reviewBy: input.reviewBy });
    return row;
  });
}

/** Articles not archived whose review date is before `asOf` (default today), oldest first. */
export async function listStaleArticles(
  db: Db,
  actor: Actor,
  input: { asOf?: string | undefined } = {},
): Promise<KbArticle[]> {
  return db
    .select()
    .from(kbArticles)
    .where(
      and(
        eq(kbArticles.workspaceId, actor.workspaceId),
        ne(kbArticles.status, 'archived'),
        isNotNull(kbArticles.reviewBy),
        lt(kbArticles.reviewBy, input.asOf ?? sql`current_date`),
      ),
    )
    .orderBy(asc(kbArticles.reviewBy), asc(kbArticles.id))
    .limit(500);
}

/** An article's saved versions, newest first. */
export async function listVersions(db: Db, actor: Actor, id: string): Promise<KbArticleVersion[]> {
  await getArticle(db, agentReader(actor), id);
  return db
    .select()
    .from(kbArticleVersions)
    .where(and(eq(kbArticleVersions.articleId, id), eq(kbArticleVersions.workspaceId, actor.workspaceId)))
    .orderBy(desc(kbArticleVersions.version));
}

/** Puts an old version's title and body back as a new version; nothing in the history is lost. */
export async function restoreVersion(db: Db, actor: Actor, id: string, version: number): Promise<KbArticle> {
  requireWriter(actor);
  const [old] = await db
    .select()
    .from(kbArticleVersions)
    .where(
      and(
        eq(kbArticleVersions.articleId, id),
        eq(kbArticleVersions.workspaceId, actor.workspaceId),
        eq(kbArticleVersions.version, version),
      ),
    );
  if (!old) throw notFound('Article version');
  return db.transaction(async (tx) => {
    const row = await updateArticle(tx, actor, id, { title: old.title, body: old.body });
    await event(tx, actor, 'kb.article.restored', row, { restoredVersion: version });
    return row;
  });
}

/** Titles and slugs of the given articles in the reader's view, keyed by id (for bot and analytics answers). */
export async function articlesByIds(
  db: Db,
  reader: KbReader,
  ids: string[],
): Promise<Map<string, KbArticle>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(kbArticles)
    .where(and(visibleTo(reader), inArray(kbArticles.id, ids)));
  return new Map(rows.map((r) => [r.id, r]));
}
