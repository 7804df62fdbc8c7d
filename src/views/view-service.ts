import { and, asc, eq, or } from 'drizzle-orm';
import type { z } from 'zod';
import { savedViews } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { countTickets, type TicketCriteria } from '../tickets/ticket-queries.ts';
import { ticketFilterQuery } from '../tickets/ticket-schemas.ts';

export type SavedView = typeof savedViews.$inferSelect;

/** A view's filters as the ticket list query parses them (arrays, dates). */
export type ViewFilters = z.output<typeof ticketFilterQuery>;

/** Counting stops here so the sidebar stays fast on a huge workspace; the console shows "10,000+". */
export const VIEW_COUNT_CAP = 10_000;

export type ViewInput = {
  name: string;
  filters: ViewFilters;
  shared?: boolean | undefined;
  position?: number | undefined;
};
export type ViewPatch = Partial<ViewInput>;

/**
 * Filters are stored as the list's query parameters (`status: "open,pending"`), so the console can put a
 * view's filters straight into GET /tickets and the two always mean the same.
 */
export function filtersToQuery(filters: ViewFilters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length) query[key] = value.join(',');
    } else query[key] = value instanceof Date ? value.toISOString() : String(value);
  }
  return query;
}

/** The stored filters as list criteria; undefined if they no longer parse (the product changed since). */
export function viewCriteria(stored: Record<string, unknown>): TicketCriteria | undefined {
  const parsed = ticketFilterQuery.safeParse(stored);
  if (!parsed.success) return undefined;
  const { updated_since, sort: _sort, order: _order, ...rest } = parsed.data;
  return { ...rest, updatedSince: updated_since };
}

/** Personal views belong to their owner; shared ones are the workspace's and only admins change them. */
export const viewPermissions = (view: SavedView, actor: Actor) => {
  const mine = view.shared ? actor.role === 'admin' : view.ownerId === actor.userId;
  return { update: mine, delete: mine };
};

const visibleTo = (actor: Actor) =>
  and(
    eq(savedViews.workspaceId, actor.workspaceId),
    or(eq(savedViews.shared, true), eq(savedViews.ownerId, actor.userId)),
  );

/** A view's live count for this actor ("assignee: me" counts the viewer's own tickets). */
export async function countView(db: Db, actor: Actor, view: SavedView) {
  const criteria = viewCriteria(view.filters);
  if (!criteria) return { count: 0, capped: false };
  return countTickets(db, actor, criteria, VIEW_COUNT_CAP);
}

/** The shared views and the actor's own, in sidebar order, each with its live count. */
export async function listViews(db: Db, actor: Actor) {
  const views = await db
    .select()
    .from(savedViews)
    .where(visibleTo(actor))
    .orderBy(asc(savedViews.position), asc(savedViews.createdAt), asc(savedViews.id));
  return Promise.all(views.map(async (view) => ({ view, ...(await countView(db, actor, view)) })));
}

/** Throws not_found for another workspace's view and for someone else's personal one. */
export async function getView(db: Db, actor: Actor, id: string): Promise<SavedView> {
  const [view] = await db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.id, id), visibleTo(actor)));
  if (!view) throw notFound('View');
  return view;
}

const checkShared = (actor: Actor, shared: boolean | undefined) => {
  if (shared !== undefined && actor.role !== 'admin') throw forbidden('Only admins share views');
};

export async function createView(db: Db, actor: Actor, input: ViewInput): Promise<SavedView> {
  if (input.shared) checkShared(actor, input.shared);
  const [view] = await db
    .insert(savedViews)
    .values({
      workspaceId: actor.workspaceId,
      name: input.name.trim(),
      filters: filtersToQuery(input.filters),
      // A shared view is the workspace's: it outlives its author.
      ownerId: input.shared ? null : actor.userId,
      shared: input.shared ?? false,
      position: input.position ?? 0,
    })
    .returning();
  return view!;
}

async function editable(db: Db, actor: Actor, id: string) {
  const view = await getView(db, actor, id);
  if (!viewPermissions(view, actor).update) throw forbidden('Only admins change shared views');
  return view;
}

/** Renames, refilters, moves or (admins) shares a view; a view unshared becomes the admin's own. */
export async function updateView(db: Db, actor: Actor, id: string, patch: ViewPatch): Promise<SavedView> {
  const before = await editable(db, actor, id);
  if (patch.shared !== undefined && patch.shared !== before.shared) checkShared(actor, patch.shared);
  const [view] = await db
    .update(savedViews)
    .set({
      ...(patch.name !== undefined && { name: patch.name.trim() }),
      ...(patch.filters !== undefined && { filters: filtersToQuery(patch.filters) }),
      ...(patch.position !== undefined && { position: patch.position }),
      ...(patch.shared !== undefined && {
        shared: patch.shared,
        ownerId: patch.shared ? null : actor.userId,
      }),
    })
    .where(and(eq(savedViews.id, id), eq(savedViews.workspaceId, actor.workspaceId)))
    .returning();
  return view!;
}

export async function deleteView(db: Db, actor: Actor, id: string): Promise<void> {
  await editable(db, actor, id);
  await db
    .delete(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.workspaceId, actor.workspaceId)));
}
