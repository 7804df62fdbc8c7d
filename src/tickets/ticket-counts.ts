import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { makePgArray } from 'drizzle-orm/pg-core';
import { ticketCounts } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';

export const unsolvedStatuses = ['new', 'open', 'pending', 'on_hold'] as const;
export const ticketStatuses = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

type Countable = { status: TicketStatus; assigneeId: string | null; teamId: string | null };

const SHARDS = 8;

/** The views a ticket is counted in: one key per status, and the unsolved views agents work from. */
export function viewKeysOf(ticket: Countable): string[] {
  const keys = [`status:${ticket.status}`];
  if ((unsolvedStatuses as readonly string[]).includes(ticket.status)) {
    keys.push('unsolved');
    keys.push(ticket.assigneeId ? `assignee:${ticket.assigneeId}` : 'unassigned');
    if (ticket.teamId) keys.push(`team:${ticket.teamId}`);
  }
  return keys;
}

/** The counter changes of a move between views, keys in a fixed order; `before` is undefined when new. */
export function viewDeltas(before: Countable | undefined, after: Countable): [string, number][] {
  const deltas = new Map<string, number>();
  for (const key of before ? viewKeysOf(before) : []) deltas.set(key, (deltas.get(key) ?? 0) - 1);
  for (const key of viewKeysOf(after)) deltas.set(key, (deltas.get(key) ?? 0) + 1);
  return [...deltas].filter(([, delta]) => delta !== 0).sort(([a], [b]) => a.localeCompare(b));
}

// One random shard per transaction, keys in a fixed order: writers spread out and cannot deadlock.
const randomShard = () => Math.floor(Math.random() * SHARDS);

/** The values of countNewTicketCte's placeholders for a new ticket. */
export function newTicketCounts(ticket: Countable) {
  const deltas = viewDeltas(undefined, ticket);
  return {
    counts_keys: makePgArray(deltas.map(([key]) => key)),
    counts_deltas: makePgArray(deltas.map(([, delta]) => delta)),
    counts_shard: randomShard(),
  };
}

/**
 * The counter upsert of a new ticket as a WITH-clause entry `counted`, for a statement that has a
 * one-row `ticket` entry: the counters change only if the ticket was written. Placeholders: those of
 * newTicketCounts.
 */
export function countNewTicketCte(): SQL {
  const p = sql.placeholder;
  return sql`counted AS (
    INSERT INTO ticket_counts (workspace_id, view_key, shard, count)
    SELECT ticket.workspace_id, deltas.view_key, ${p('counts_shard')}::smallint, deltas.delta
    FROM ticket, unnest(${p('counts_keys')}::text[], ${p('counts_deltas')}::int[]) AS deltas (view_key, delta)
    ON CONFLICT (workspace_id, view_key, shard) DO UPDATE SET count = ticket_counts.count + excluded.count
    RETURNING 1
  )`;
}

/** Moves a ticket between views inside the caller's transaction; `before` is undefined for a new ticket. */
export async function recountTicket(
  tx: Db,
  workspaceId: string,
  before: Countable | undefined,
  after: Countable,
) {
  const changed = viewDeltas(before, after);
  if (changed.length === 0) return;
  const shard = randomShard();
  await tx
    .insert(ticketCounts)
    .values(changed.map(([viewKey, count]) => ({ workspaceId, viewKey, shard, count })))
    .onConflictDoUpdate({
      target: [ticketCounts.workspaceId, ticketCounts.viewKey, ticketCounts.shard],
      set: { count: sql`${ticketCounts.count} + excluded.count` },
    });
}

/** Sums the shards of the requested view keys (missing keys count zero). */
export async function readViewCounts(
  db: Db,
  workspaceId: string,
  keys?: string[],
): Promise<Record<string, number>> {
  const rows = await db
    .select({ viewKey: ticketCounts.viewKey, count: sql<number>`sum(${ticketCounts.count})::int` })
    .from(ticketCounts)
    .where(
      and(eq(ticketCounts.workspaceId, workspaceId), keys ? inArray(ticketCounts.viewKey, keys) : undefined),
    )
    .groupBy(ticketCounts.viewKey);
  const counts: Record<string, number> = Object.fromEntries((keys ?? []).map((key) => [key, 0]));
  for (const row of rows) counts[row.viewKey] = Number(row.count);
  return counts;
}

/** Drops a view's counters when what it counted (a team, a user) is gone. */
export async function forgetViewCounts(tx: Db, workspaceId: string, viewKey: string) {
  await tx
    .delete(ticketCounts)
    .where(and(eq(ticketCounts.workspaceId, workspaceId), eq(ticketCounts.viewKey, viewKey)));
}

/**
 * Recomputes a workspace's view counters from the tickets themselves, in the caller's transaction:
 * for bulk imports that write tickets directly, and to repair counters after manual SQL.
 */
export async function rebuildViewCounts(tx: Db, workspaceId: string) {
  // Writers need no lock: a change not yet visible to the recount adds its delta after it.
  // Two rebuilds of one workspace, though, must not interleave.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`counts:${workspaceId}`}))`);
  await tx.delete(ticketCounts).where(eq(ticketCounts.workspaceId, workspaceId));
  const unsolved = sql`status IN ('new', 'open', 'pending', 'on_hold')`;
  await tx.execute(sql`
    INSERT INTO ticket_counts (workspace_id, view_key, shard, count)
    SELECT ${workspaceId}::uuid, view_key, 0, count(*)::int FROM (
      SELECT 'status:' || status AS view_key FROM tickets WHERE workspace_id = ${workspaceId}
      UNION ALL SELECT 'unsolved' FROM tickets WHERE workspace_id = ${workspaceId} AND ${unsolved}
      UNION ALL SELECT CASE WHEN assignee_id IS NULL THEN 'unassigned' ELSE 'assignee:' || assignee_id END
        FROM tickets WHERE workspace_id = ${workspaceId} AND ${unsolved}
      UNION ALL SELECT 'team:' || team_id FROM tickets WHERE workspace_id = ${workspaceId} AND ${unsolved} AND team_id IS NOT NULL
    ) keys GROUP BY view_key`);
}
