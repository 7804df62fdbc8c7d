import { and, eq, type SQL, sql } from 'drizzle-orm';
import { tags as tagTable, ticketEvents, tickets } from '../db/schema/index.ts';
import type { AnyActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import { recordEvent, recordEventCte } from '../platform/outbox/outbox.ts';

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

const isoSql = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** ticketSummary computed in SQL from a tickets row named `ticket`; the two must give the same JSON. */
export const ticketSummarySql = sql`jsonb_build_object(
  'id', ticket.id, 'number', ticket.number, 'subject', ticket.subject, 'status', ticket.status,
  'priority', ticket.priority, 'channel', ticket.channel, 'customerId', ticket.customer_id,
  'assigneeId', ticket.assignee_id, 'teamId', ticket.team_id, 'tags', ticket.tags,
  'mergedIntoId', ticket.merged_into_id, 'lastActivityAt', ${isoSql(sql`ticket.last_activity_at`)},
  'updatedAt', ${isoSql(sql`ticket.updated_at`)})`;

/**
 * logTicketEvent as WITH-clause entries `logged` and `event`, for a statement with a one-row `ticket`
 * entry; `extra` holds further payload keys computed in SQL. Placeholders: `actor_id` and
 * `event_changes` (the changes as JSON text).
 */
export function logTicketEventCtes(
  type: string,
  extra: Record<string, SQL>,
  options: { from: SQL; notify: boolean },
): SQL {
  const actorId = sql.placeholder('actor_id');
  const changes = sql`${sql.placeholder('event_changes')}::jsonb`;
  const extraPairs = Object.entries(extra).map(([key, value]) => sql`, ${key}::text, ${value}`);
  return sql`logged AS (
    INSERT INTO ticket_events (workspace_id, ticket_id, actor_user_id, type, changes)
    SELECT ticket.workspace_id, ticket.id, ${actorId}::uuid, ${type}::text, ${changes}
    FROM ticket
    RETURNING 1
  ), ${recordEventCte({
    workspaceId: sql`ticket.workspace_id`,
    type,
    payload: sql`jsonb_build_object('ticket', ${ticketSummarySql}, 'changes', ${changes},
      'actorId', ${actorId}::text${sql.join(extraPairs)})`,
    ...options,
  })}`;
}

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

/** rememberTags as a WITH-clause entry `tagged`, for the tags of the statement's one-row `ticket` entry. */
export const rememberTicketTagsCte = sql`tagged AS (
  INSERT INTO tags (workspace_id, name)
  SELECT ticket.workspace_id, unnest(ticket.tags) FROM ticket
  ON CONFLICT DO NOTHING
  RETURNING 1
)`;
