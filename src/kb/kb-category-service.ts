import { and, asc, eq, sql } from 'drizzle-orm';
import { kbCategories } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, isUniqueViolation } from '../platform/db/database.ts';
import { conflict, invalid, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { requireAdmin } from './kb-service.ts';
import { SLUG_PATTERN, slugify } from './kb-slug.ts';

export type KbCategory = typeof kbCategories.$inferSelect;
export type CategoryInput = {
  name: string;
  slug?: string | undefined;
  description?: string | undefined;
  /** A parent category makes this one a section of it (one level deep). */
  parentId?: string | null | undefined;
  position?: number | undefined;
};

const byId = (workspaceId: string, id: string) =>
  and(eq(kbCategories.id, id), eq(kbCategories.workspaceId, workspaceId));

const slugTaken = (slug: string) => (error: unknown) => {
  if (isUniqueViolation(error)) throw conflict(`Category slug ${slug} is taken`);
  throw error;
};

/** Categories and sections of a workspace by position; sections carry their parent's id. */
export async function listCategories(db: Db, workspaceId: string): Promise<KbCategory[]> {
  return db
    .select()
    .from(kbCategories)
    .where(eq(kbCategories.workspaceId, workspaceId))
    .orderBy(asc(kbCategories.position), asc(kbCategories.name));
}

export async function getCategory(db: Db, workspaceId: string, id: string): Promise<KbCategory> {
  const [row] = await db.select().from(kbCategories).where(byId(workspaceId, id));
  if (!row) throw notFound('Category');
  return row;
}

export async function getCategoryBySlug(db: Db, workspaceId: string, slug: string): Promise<KbCategory> {
  const [row] = await db
    .select()
    .from(kbCategories)
    .where(and(eq(kbCategories.workspaceId, workspaceId), eq(kbCategories.slug, slug)));
  if (!row) throw notFound('Category');
  return row;
}

async function checkParent(db: Db, workspaceId: string, parentId: string | null | undefined, self?: string) {
  if (!parentId) return;
  if (parentId === self) throw invalid('A category cannot be its own section');
  const parent = await getCategory(db, workspaceId, parentId).catch(() => {
    throw invalid('No such parent category', [{ path: 'parentId', message: 'not found' }]);
  });
  if (parent.parentId)
    throw invalid('Sections cannot hold sections', [{ path: 'parentId', message: 'is a section' }]);
}

export async function createCategory(db: Db, actor: Actor, input: CategoryInput): Promise<KbCategory> {
  requireAdmin(actor);
  const slug = input.slug ?? slugify(input.name);
  if (!SLUG_PATTERN.test(slug))
    throw invalid('Bad slug', [{ path: 'slug', message: 'lower-case words and dashes' }]);
  return db.transaction(async (tx) => {
    await checkParent(tx, actor.workspaceId, input.parentId);
    const [row] = await tx
      .insert(kbCategories)
      .values({
        workspaceId: actor.workspaceId,
        name: input.name.trim(),
        slug,
        description: input.description ?? '',
        parentId: input.parentId ?? null,
        position: input.position ?? 0,
      })
      .returning()
      .catch(slugTaken(slug));
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'kb.category.created',
      payload: { id: row!.id, actorId: actor.userId },
    });
    return row!;
  });
}

export async function updateCategory(
  db: Db,
  actor: Actor,
  id: string,
  patch: Partial<CategoryInput>,
): Promise<KbCategory> {
  requireAdmin(actor);
  if (patch.slug !== undefined && !SLUG_PATTERN.test(patch.slug)) throw invalid('Bad slug');
  return db.transaction(async (tx) => {
    await getCategory(tx, actor.workspaceId, id);
    await checkParent(tx, actor.workspaceId, patch.parentId, id);
    const [row] = await tx
      .update(kbCategories)
      .set({
        ...(patch.name !== undefined && { name: patch.name.trim() }),
        ...(patch.slug !== undefined && { slug: patch.slug }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.parentId !== undefined && { parentId: patch.parentId }),
        ...(patch.position !== undefined && { position: patch.position }),
        updatedAt: sql`now()`,
      })
      .where(byId(actor.workspaceId, id))
      .returning()
      .catch(slugTaken(patch.slug ?? ''));
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'kb.category.updated',
      payload: { id, actorId: actor.userId },
    });
    return row!;
  });
}

/** Its sections go with it; its articles stay, without a category. */
export async function deleteCategory(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(kbCategories)
      .where(byId(actor.workspaceId, id))
      .returning({ id: kbCategories.id });
    if (deleted.length === 0) throw notFound('Category');
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'kb.category.deleted',
      payload: { id, actorId: actor.userId },
    });
  });
}
