import { and, eq } from 'drizzle-orm';
import { tags as tagTable, ticketEvents, tickets } from '../db/schema/index.ts';
import type { AnyActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';

export type TicketRow = typeof tickets.$inferSelect;

/** Reads a ticket of the actor's workspace and locks it for the rest of the transaction. */
export async function lockTicket(tx: Db, workspaceId: string, ticketId: string): Promise<TicketRow> {
  const [row] = await tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, ticketId), eq(tickets.workspaceId, workspaceId)))
    .for('update');
  if (!row) throw notFound('Ticket');
  return row;
}

/** What realtime subscribers and webhooks get to know about a ticket, without another fetch. */
export const ticketSummary = (t: TicketRow) => ({
  id: t.id,
  number: t.number,
  subject: t.subject,
  status: t.status,
  priority: t.priority,
  channel: t.channel,
  customerId: t.customerId,
  assigneeId: t.assigneeId,
  teamId: t.teamId,
  tags: t.tags,
  mergedIntoId: t.mergedIntoId,
  lastActivityAt: t.lastActivityAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

/** Appends to the ticket's history and emits the matching domain event, both in the caller's transaction. */
export async function logTicketEvent(
  tx: Db,
  actor: AnyActor,
  ticket: TicketRow,
  type: string,
  changes: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  await tx.insert(ticketEvents).values({
    workspaceId: ticket.workspaceId,
    ticketId: ticket.id,
    actorUserId: actor.userId,
    type,
    changes,
  });
  await recordEvent(tx, {
    workspaceId: ticket.workspaceId,
    type,
    payload: { ticket: ticketSummary(ticket), changes, actorId: actor.userId, ...extra },
  });
}

export const normaliseTags = (values: string[]) =>
  [...new Set(values.map((tag) => tag.trim().toLowerCase().replace(/\s+/g, '-')).filter(Boolean))].sort();

/** Keeps the workspace's tag list complete as tickets use new tags. */
export async function rememberTags(tx: Db, workspaceId: string, names: string[]) {
  if (names.length === 0) return;
  await tx
    .insert(tagTable)
    .values(names.map((name) => ({ workspaceId, name })))
    .onConflictDoNothing();
}
