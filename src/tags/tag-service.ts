import { and, asc, eq, sql } from 'drizzle-orm';
import { customers, tags, tickets } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { conflict, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';

export type Tag = typeof tags.$inferSelect;
export const normaliseTag = (name: string) => name.trim().toLowerCase().replace(/\s+/g, '-');

export async function listTags(db: Db, actor: Actor, prefix?: string): Promise<Tag[]> {
  return db
    .select()
    .from(tags)
    .where(
      and(
        eq(tags.workspaceId, actor.workspaceId),
        prefix
          ? sql`${tags.name} LIKE ${`${normaliseTag(prefix).replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`
          : undefined,
      ),
    )
    .orderBy(asc(tags.name))
    .limit(1000);
}

export async function createTag(
  db: Db,
  actor: Actor,
  input: { name: string; color?: string | null | undefined },
): Promise<Tag> {
  const [row] = await db
    .insert(tags)
    .values({ workspaceId: actor.workspaceId, name: normaliseTag(input.name), color: input.color ?? null })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict(`The tag ${normaliseTag(input.name)} exists`);
  return row;
}

const where = (actor: Actor, name: string) =>
  and(eq(tags.workspaceId, actor.workspaceId), eq(tags.name, normaliseTag(name)));

/** Renaming rewrites the tag on every ticket and customer that carries it, in one transaction. */
export async function updateTag(
  db: Db,
  actor: Actor,
  name: string,
  patch: { name?: string | undefined; color?: string | null | undefined },
): Promise<Tag> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(tags).where(where(actor, name)).for('update');
    if (!current) throw notFound('Tag');
    const next = patch.name ? normaliseTag(patch.name) : current.name;
    if (next !== current.name) {
      const [taken] = await tx.select().from(tags).where(where(actor, next));
      if (taken) throw conflict(`The tag ${next} exists`);
      await rewriteTag(tx, actor.workspaceId, current.name, next);
    }
    const [row] = await tx
      .update(tags)
      .set({ name: next, ...(patch.color !== undefined && { color: patch.color }) })
      .where(where(actor, current.name))
      .returning();
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'tag.updated',
      payload: { from: current.name, to: next, actorId: actor.userId },
    });
    return row!;
  });
}

export async function deleteTag(db: Db, actor: Actor, name: string): Promise<void> {
  await db.transaction(async (tx) => {
    const deleted = await tx.delete(tags).where(where(actor, name)).returning();
    if (deleted.length === 0) throw notFound('Tag');
    await rewriteTag(tx, actor.workspaceId, deleted[0]!.name, null);
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'tag.deleted',
      payload: { name: deleted[0]!.name, actorId: actor.userId },
    });
  });
}

async function rewriteTag(tx: Db, workspaceId: string, from: string, to: string | null) {
  const replaced = to
    ? sql`ARRAY(SELECT DISTINCT unnest(array_replace(tags, ${from}, ${to})) ORDER BY 1)`
    : sql`array_remove(tags, ${from})`;
  const carries = sql`tags @> ARRAY[${from}]::text[]`;
  await tx
    .update(tickets)
    .set({ tags: replaced, updatedAt: sql`now()` })
    .where(and(eq(tickets.workspaceId, workspaceId), carries));
  await tx
    .update(customers)
    .set({ tags: replaced, updatedAt: sql`now()` })
    .where(and(eq(customers.workspaceId, workspaceId), carries));
}
