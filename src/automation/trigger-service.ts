import { and, asc, desc, eq } from 'drizzle-orm';
import { type TriggerAction, type TriggerConditions, tickets, triggers } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, invalid, notFound } from '../platform/errors.ts';
import { ageFacts, withContext } from './trigger-facts.ts';
import { conditionsHold, factsOf, isEffect, plannedChanges } from './trigger-rules.ts';

export type Trigger = typeof triggers.$inferSelect;
export type TriggerInput = {
  name: string;
  position?: number | undefined;
  active?: boolean | undefined;
  events: string[];
  conditions?: TriggerConditions | undefined;
  actions: TriggerAction[];
};

function requireAdmin(actor: Actor) {
  if (actor.role !== 'admin') throw forbidden('Only admins manage triggers');
}

const mine = (actor: Actor, id: string) =>
  and(eq(triggers.id, id), eq(triggers.workspaceId, actor.workspaceId));

export async function listTriggers(db: Db, actor: Actor): Promise<Trigger[]> {
  requireAdmin(actor);
  return db
    .select()
    .from(triggers)
    .where(eq(triggers.workspaceId, actor.workspaceId))
    .orderBy(asc(triggers.position), asc(triggers.createdAt));
}

/** Adds a trigger; pass `active: false` to try it with a dry run before it acts on tickets. */
export async function createTrigger(db: Db, actor: Actor, input: TriggerInput): Promise<Trigger> {
  requireAdmin(actor);
  const [row] = await db
    .insert(triggers)
    .values({ ...input, workspaceId: actor.workspaceId })
    .returning();
  return row!;
}

export async function updateTrigger(
  db: Db,
  actor: Actor,
  id: string,
  patch: Partial<TriggerInput>,
): Promise<Trigger> {
  requireAdmin(actor);
  const [row] = await db
    .update(triggers)
    .set({ ...patch, updatedAt: new Date() })
    .where(mine(actor, id))
    .returning();
  if (!row) throw notFound('Trigger');
  return row;
}

export async function deleteTrigger(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  const deleted = await db.delete(triggers).where(mine(actor, id)).returning({ id: triggers.id });
  if (deleted.length === 0) throw notFound('Trigger');
}

/**
 * Puts the workspace's triggers in the order given (every trigger once), numbering positions from 0 in
 * one transaction, so two admins reordering at once never leave two triggers sharing a place.
 */
export async function reorderTriggers(db: Db, actor: Actor, ids: string[]): Promise<Trigger[]> {
  requireAdmin(actor);
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: triggers.id })
      .from(triggers)
      .where(eq(triggers.workspaceId, actor.workspaceId))
      .for('update');
    const known = new Set(rows.map((row) => row.id));
    if (new Set(ids).size !== ids.length || ids.length !== known.size || !ids.every((id) => known.has(id)))
      throw invalid('Name every trigger of the workspace once', [
        { path: 'ids', message: 'must list each trigger exactly once' },
      ]);
    const now = new Date();
    for (const [position, id] of ids.entries())
      await tx.update(triggers).set({ position, updatedAt: now }).where(mine(actor, id));
    return listTriggers(tx, actor);
  });
}

/**
 * Which of the workspace's last `limit` tickets the trigger would match as they stand now (custom fields,
 * customer, business hours now and ticket age included), and what it would change on each; nothing is
 * written. Message and intelligence conditions are false here: there is no event to read them from.
 */
export async function dryRunTrigger(db: Db, actor: Actor, id: string, limit: number) {
  requireAdmin(actor);
  const [rule] = await db.select().from(triggers).where(mine(actor, id));
  if (!rule) throw notFound('Trigger');
  // A read-only look at recent tickets; no ticket service lists them without an HTTP-shaped filter.
  const recent = await db
    .select()
    .from(tickets)
    .where(eq(tickets.workspaceId, actor.workspaceId))
    .orderBy(desc(tickets.createdAt), desc(tickets.id))
    .limit(limit);
  const matches = [];
  const now = new Date();
  for (const ticket of recent) {
    const own = {
      ...factsOf(ticket, rule.events[0] ?? 'ticket.updated', null),
      customFields: ticket.customFields,
      ...ageFacts(now, ticket),
    };
    const facts = await withContext(db, actor.workspaceId, ticket.id, own, [rule], now);
    if (conditionsHold(rule.conditions, facts))
      matches.push({
        ticketId: ticket.id,
        number: ticket.number,
        changes: plannedChanges(rule.actions, facts),
        effects: rule.actions.filter(isEffect).map((action) => action.type),
      });
  }
  return { checked: recent.length, matches };
}
