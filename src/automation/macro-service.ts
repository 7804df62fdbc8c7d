import { and, asc, eq } from 'drizzle-orm';
import { macros, type TriggerAction } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, isUniqueViolation } from '../platform/db/database.ts';
import { conflict, forbidden, notFound } from '../platform/errors.ts';
import { lockTicket } from '../tickets/ticket-records.ts';
import { applyOutcome } from './action-executor.ts';
import { factsOf, isEffect, plannedChanges } from './trigger-rules.ts';

export type Macro = typeof macros.$inferSelect;
export type MacroInput = { name: string; description?: string | undefined; actions: TriggerAction[] };

function requireAdmin(actor: Actor) {
  if (actor.role !== 'admin') throw forbidden('Only admins manage macros');
}

// Light agents only leave internal notes; a macro may reply, reassign or call out.
function requireAgent(actor: Actor) {
  if (actor.role === 'light') throw forbidden('Light agents cannot apply macros');
}

const mine = (actor: Actor, id: string) => and(eq(macros.id, id), eq(macros.workspaceId, actor.workspaceId));

async function findMacro(db: Db, actor: Actor, id: string): Promise<Macro> {
  const [row] = await db.select().from(macros).where(mine(actor, id));
  if (!row) throw notFound('Macro');
  return row;
}

/** The workspace's macros by name; every agent sees them, to apply them. */
export async function listMacros(db: Db, actor: Actor): Promise<Macro[]> {
  return db
    .select()
    .from(macros)
    .where(eq(macros.workspaceId, actor.workspaceId))
    .orderBy(asc(macros.name), asc(macros.id));
}

/** Adds a macro; throws conflict when the workspace has one of that name. */
export async function createMacro(db: Db, actor: Actor, input: MacroInput): Promise<Macro> {
  requireAdmin(actor);
  const [row] = await db
    .insert(macros)
    .values({ ...input, workspaceId: actor.workspaceId })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict(`A macro named ${input.name} exists`);
  return row;
}

export async function updateMacro(
  db: Db,
  actor: Actor,
  id: string,
  patch: Partial<MacroInput>,
): Promise<Macro> {
  requireAdmin(actor);
  const [row] = await db
    .update(macros)
    .set({ ...patch, updatedAt: new Date() })
    .where(mine(actor, id))
    .returning()
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? conflict(`A macro named ${patch.name} exists`) : error;
    });
  if (!row) throw notFound('Macro');
  return row;
}

export async function deleteMacro(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  const deleted = await db.delete(macros).where(mine(actor, id)).returning({ id: macros.id });
  if (deleted.length === 0) throw notFound('Macro');
}

/**
 * Applies a macro's actions to one ticket as the agent, in one transaction, through the same executor
 * as triggers: field changes, then replies, notes, notifications and webhook calls, then a
 * `macro.applied` line in the ticket's history. Throws notFound for another workspace's macro or
 * ticket, forbidden for light agents, and the ticket services' errors unchanged.
 */
export async function applyMacro(db: Db, actor: Actor, macroId: string, ticketId: string): Promise<void> {
  requireAgent(actor);
  await db.transaction(async (tx) => {
    const macro = await findMacro(tx, actor, macroId);
    const ticket = await lockTicket(tx, actor.workspaceId, ticketId);
    const facts = { ...factsOf(ticket, 'macro.applied', null), customFields: ticket.customFields };
    const rule = { id: macro.id, name: macro.name };
    await applyOutcome(tx, actor, ticketId, facts, {
      changes: plannedChanges(macro.actions, facts),
      effects: macro.actions.filter(isEffect).map((action) => ({ rule, action })),
      audit: { type: 'macro.applied', detail: { macro: rule } },
    });
  });
}
