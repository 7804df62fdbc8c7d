import { asc, eq, sql } from 'drizzle-orm';
import { memberships, workspaces } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import { conflict, notFound } from '../platform/errors.ts';

export type Workspace = { id: string; name: string; slug: string; createdAt: Date };

// One sequence per workspace hands out ticket numbers without a hot counter row that every
// new ticket would queue on; a rolled-back ticket leaves a gap, as in most helpdesks.
const sequenceName = (workspaceId: string) => `ticket_number_${workspaceId.replaceAll('-', '')}`;

/** The sequence that numbers the workspace's tickets: take `nextval` of it inside the INSERT that uses it. */
export const ticketNumberSequence = sequenceName;

const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'workspace';

/** Creates an isolated workspace; the owner, when given, becomes its admin. Throws conflict on a taken slug. */
export async function createWorkspace(
  db: Db,
  input: { name: string; slug?: string | undefined; ownerUserId?: string | undefined },
): Promise<Workspace> {
  return db.transaction(async (tx) => {
    const base = input.slug ?? slugify(input.name);
    const [taken] = await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, base));
    if (taken && input.slug) throw conflict(`The slug ${input.slug} is taken`);
    const slug = taken ? `${base}-${Math.random().toString(36).slice(2, 8)}` : base;
    const [workspace] = await tx.insert(workspaces).values({ name: input.name, slug }).returning();
    await tx.execute(sql.raw(`CREATE SEQUENCE ${sequenceName(workspace!.id)}`));
    if (input.ownerUserId) {
      await tx
        .insert(memberships)
        .values({ workspaceId: workspace!.id, userId: input.ownerUserId, role: 'admin' });
    }
    return workspace!;
  });
}

export async function listWorkspacesOf(db: Db, userId: string) {
  return db
    .select({
      id: workspaces.id,
      name: workspaces.name,
      slug: workspaces.slug,
      role: memberships.role,
      createdAt: workspaces.createdAt,
    })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
}

/**
 * Replaces one key of the workspace's settings with what `next` makes of its current value, the row
 * locked, inside the caller's transaction; the other keys stay as they are. Throws not_found.
 */
export async function mergeWorkspaceSetting(
  tx: Db,
  workspaceId: string,
  key: string,
  next: (current: Record<string, unknown>) => Record<string, unknown>,
) {
  const [row] = await tx
    .select({ settings: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId))
    .for('update');
  if (!row) throw notFound('Workspace');
  const value = next((row.settings[key] ?? {}) as Record<string, unknown>);
  await tx
    .update(workspaces)
    .set({ settings: sql`${workspaces.settings} || ${JSON.stringify({ [key]: value })}::jsonb` })
    .where(eq(workspaces.id, workspaceId));
  return value;
}
