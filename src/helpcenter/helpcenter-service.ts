import { eq } from 'drizzle-orm';
import { workspaces } from '../db/schema/index.ts';
import { type KbCategory, listCategories } from '../kb/kb-category-service.ts';
import { type KbSearchResult, searchArticles } from '../kb/kb-search.ts';
import { type KbArticle, type KbReader, listArticles } from '../kb/kb-service.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { contactFormSettingsOf } from '../webform/webform-settings.ts';
import { mergeWorkspaceSetting } from '../workspaces/workspace-service.ts';

/** How a workspace's help center looks: kept in `workspaces.settings.helpCenter`. */
export type HelpBrand = {
  name: string;
  logoUrl: string | null;
  color: string;
  language: string;
  /** Where "Contact us" leads (the web form, a chat page, a mailto:); no link without it. */
  contactUrl: string | null;
};
export type HelpBrandPatch = {
  name?: string | undefined;
  logoUrl?: string | null | undefined;
  color?: string | undefined;
  contactUrl?: string | null | undefined;
};
export type HelpWorkspace = { id: string; slug: string; brand: HelpBrand };

const DEFAULT_COLOR = '#2563eb';
const CACHE_MS = 5_000;
// Every public page reads this; a few seconds of staleness after an admin edit is fine.
const cache = new Map<string, { at: number; value: HelpWorkspace }>();

function brandOf(name: string, settings: Record<string, unknown>): HelpBrand {
  const stored = (settings.helpCenter ?? {}) as Partial<HelpBrand>;
  return {
    name: stored.name || name,
    logoUrl: stored.logoUrl ?? null,
    color: stored.color ?? DEFAULT_COLOR,
    language: 'en',
    contactUrl: stored.contactUrl ?? null,
  };
}

/** What a 404 page for a help center that does not exist shows: a neutral brand, nothing of anyone's. */
export const unknownWorkspace = (slug: string): HelpWorkspace => ({
  id: '',
  slug,
  brand: brandOf('Help center', {}),
});

/** The workspace a help-center URL names by slug, with its brand; throws not_found for none. */
export async function helpWorkspace(db: Db, slug: string): Promise<HelpWorkspace> {
  const hit = cache.get(slug);
  if (hit && performance.now() - hit.at < CACHE_MS) return hit.value;
  const [row] = await db
    .select({
      id: workspaces.id,
      slug: workspaces.slug,
      name: workspaces.name,
      settings: workspaces.settings,
    })
    .from(workspaces)
    .where(eq(workspaces.slug, slug));
  if (!row) throw notFound('Help center');
  const brand = brandOf(row.name, row.settings);
  // Without a link of the admin's choosing, "Contact us" leads to the workspace's own contact form.
  if (!brand.contactUrl && contactFormSettingsOf(row.settings).enabled)
    brand.contactUrl = `/help/${encodeURIComponent(row.slug)}/contact`;
  const value = { id: row.id, slug: row.slug, brand };
  if (cache.size > 10_000) cache.clear();
  cache.set(slug, { at: performance.now(), value });
  return value;
}

export async function getHelpBrand(db: Db, actor: Actor): Promise<HelpBrand & { slug: string }> {
  const [row] = await db
    .select({ name: workspaces.name, slug: workspaces.slug, settings: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, actor.workspaceId));
  if (!row) throw notFound('Workspace');
  return { ...brandOf(row.name, row.settings), slug: row.slug };
}

/** Admins set the brand name, logo and colour; the other workspace settings stay as they are. */
export async function updateHelpBrand(db: Db, actor: Actor, patch: HelpBrandPatch) {
  if (actor.role !== 'admin') throw forbidden('Only admins change the help center');
  await db.transaction(async (tx) => {
    await mergeWorkspaceSetting(tx, actor.workspaceId, 'helpCenter', (current) => ({
      ...current,
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.logoUrl !== undefined && { logoUrl: patch.logoUrl }),
      ...(patch.color !== undefined && { color: patch.color }),
      ...(patch.contactUrl !== undefined && { contactUrl: patch.contactUrl }),
    }));
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'help_center.settings.updated',
      payload: { actorId: actor.userId, fields: Object.keys(patch) },
    });
  });
  for (const [key, entry] of cache) if (entry.value.id === actor.workspaceId) cache.delete(key);
  return getHelpBrand(db, actor);
}

export const publicReader = (workspaceId: string): KbReader => ({ workspaceId, audience: 'public' });

/** Top-level categories with their sections, for the home page and category pages. */
export function categoryTree(categories: KbCategory[]) {
  return categories
    .filter((c) => !c.parentId)
    .map((c) => ({ ...c, sections: categories.filter((s) => s.parentId === c.id) }));
}

/** Public articles of one category (and its sections), newest first. */
export async function categoryArticles(db: Db, workspaceId: string, category: KbCategory, language: string) {
  const all = await listCategories(db, workspaceId);
  const ids = [category.id, ...all.filter((c) => c.parentId === category.id).map((c) => c.id)];
  const lists = await Promise.all(
    ids.map((categoryId) =>
      listArticles(db, publicReader(workspaceId), { categoryId, language, limit: 200 }),
    ),
  );
  return { categories: all, byCategory: new Map(ids.map((id, i) => [id, lists[i] ?? []])) };
}

/** Articles like this one: found by its title, the same category first, never itself. */
export async function relatedArticles(db: Db, article: KbArticle, limit = 4) {
  const { hits } = await searchArticles(db, {
    workspaceId: article.workspaceId,
    audience: 'public',
    query: article.title,
    language: article.language,
    limit: limit + 6,
    source: 'help_center',
    log: false,
    prefix: false,
  });
  return hits
    .filter((h) => h.id !== article.id)
    .sort((a, b) => Number(b.categoryId === article.categoryId) - Number(a.categoryId === article.categoryId))
    .slice(0, limit);
}

/** A visitor's search of the help center: published public articles only; an empty query finds nothing. */
export async function publicSearch(
  db: Db,
  workspaceId: string,
  input: { query: string; language?: string | undefined; limit: number; log: boolean },
): Promise<KbSearchResult> {
  const query = input.query.trim();
  if (!query) return { hits: [], searchId: null, documents: 0 };
  return searchArticles(db, {
    workspaceId,
    audience: 'public',
    query,
    source: 'help_center',
    limit: input.limit,
    log: input.log,
    ...(input.language && { language: input.language }),
  });
}
