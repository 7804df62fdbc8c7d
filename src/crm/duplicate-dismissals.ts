import { and, desc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { customers, customerDuplicateDismissals as dismissals } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { invalid, notFound } from '../platform/errors.ts';

export type DuplicateDismissal = {
  id: string;
  customerIds: [string, string];
  names: [string, string];
  dismissedById: string | null;
  createdAt: Date;
};

// One order for a pair, the same one the suggestions use (uuid order is the order of its lower-case text).
const ordered = (a: string, b: string): [string, string] => {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? [x, y] : [y, x];
};

/**
 * Records that two customers of the actor's workspace are not one person, so the pair is never suggested
 * again. Dismissing a pair twice returns the first dismissal. Throws validation_failed for a customer
 * paired with itself and not_found when either customer is not in the workspace.
 */
export async function dismissDuplicate(
  db: Db,
  actor: Actor,
  customerIds: [string, string],
): Promise<DuplicateDismissal> {
  const [a, b] = ordered(...customerIds);
  if (a === b) throw invalid('A customer cannot be a duplicate of itself');
  const found = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.workspaceId, actor.workspaceId), inArray(customers.id, [a, b])));
  if (found.length !== 2) throw notFound('Customer');
  const [row] = await db
    .insert(dismissals)
    .values({ workspaceId: actor.workspaceId, customerAId: a, customerBId: b, dismissedById: actor.userId })
    .onConflictDoNothing()
    .returning({ id: dismissals.id });
  const existing =
    row ??
    (
      await db
        .select({ id: dismissals.id })
        .from(dismissals)
        .where(and(eq(dismissals.customerAId, a), eq(dismissals.customerBId, b)))
    )[0]!;
  const [dismissal] = await listDismissals(db, actor, existing.id);
  return dismissal!;
}

/** The workspace's dismissed pairs, newest first, with both customers' names (or one dismissal by id). */
export async function listDismissals(db: Db, actor: Actor, id?: string): Promise<DuplicateDismissal[]> {
  const a = alias(customers, 'a');
  const b = alias(customers, 'b');
  const rows = await db
    .select({
      id: dismissals.id,
      aId: dismissals.customerAId,
      bId: dismissals.customerBId,
      aName: a.name,
      bName: b.name,
      dismissedById: dismissals.dismissedById,
      createdAt: dismissals.createdAt,
    })
    .from(dismissals)
    .innerJoin(a, eq(a.id, dismissals.customerAId))
    .innerJoin(b, eq(b.id, dismissals.customerBId))
    .where(and(eq(dismissals.workspaceId, actor.workspaceId), id ? eq(dismissals.id, id) : undefined))
    .orderBy(desc(dismissals.createdAt), desc(dismissals.id))
    .limit(500);
  return rows.map((r) => ({
    id: r.id,
    customerIds: [r.aId, r.bId],
    names: [r.aName, r.bName],
    dismissedById: r.dismissedById,
    createdAt: r.createdAt,
  }));
}

/** Undoes a dismissal so the pair can be suggested again. Throws not_found for another workspace's. */
export async function undoDismissal(db: Db, actor: Actor, id: string): Promise<void> {
  const deleted = await db
    .delete(dismissals)
    .where(and(eq(dismissals.id, id), eq(dismissals.workspaceId, actor.workspaceId)))
    .returning({ id: dismissals.id });
  if (deleted.length === 0) throw notFound('Dismissal');
}
