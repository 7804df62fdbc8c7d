import { type SQL, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.ts';
import type { Db } from '../db/database.ts';

export const OUTBOX_CHANNEL = 'rapport_outbox';

export type OutboxEvent = {
  id: number;
  workspaceId: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
};

/** Writes a domain event inside the caller's transaction; the relay picks it up after commit. */
export async function recordEvent(
  tx: Db,
  event: { workspaceId: string; type: string; payload: Record<string, unknown> },
): Promise<void> {
  // The NOTIFY rides on the insert to save a round trip per write; PostgreSQL delivers it only at
  // commit, so the relay never wakes for a rolled-back event.
  await tx
    .insert(outbox)
    .values(event)
    .returning({ notified: sql`pg_notify(${OUTBOX_CHANNEL}, '')` });
}

/**
 * recordEvent as a WITH-clause entry `event`, for a statement that writes records and their events at
 * once: one event per row of `from`, with the workspace and payload computed from that row (or given as
 * placeholders of a prepared statement). With `notify: false` the
 * caller wakes the relays itself once the statement has committed (see wakeRelaysSoon).
 */
export function recordEventCte(event: {
  workspaceId: SQL;
  type: string;
  payload: SQL;
  from: SQL;
  notify: boolean;
}): SQL {
  return sql`event AS (
    INSERT INTO outbox (workspace_id, type, payload)
    SELECT ${event.workspaceId}, ${event.type}::text, ${event.payload} FROM ${event.from}
    RETURNING ${event.notify ? sql`pg_notify(${OUTBOX_CHANNEL}, '')` : sql`id`}
  )`;
}

// How long a wake-up waits for others to share its NOTIFY.
const WAKE_WINDOW_MS = 2;
const wakePending = new WeakSet<Db>();
const localRelays = new WeakMap<Db, Set<() => void>>();

/** Lets wakeRelaysSoon poke a relay of this process directly; returns the function that stops it. */
export function registerLocalRelay(db: Db, wake: () => void): () => void {
  const wakes = localRelays.get(db) ?? new Set<() => void>();
  wakes.add(wake);
  localRelays.set(db, wakes);
  return () => wakes.delete(wake);
}

/**
 * Wakes the relays soon, for events already committed without a NOTIFY of their own. A transaction
 * that notifies holds PostgreSQL's one notify-queue lock until its commit is flushed, so notifying
 * writers commit one by one instead of sharing WAL flushes; the busiest writes therefore commit
 * without it. A relay running in this process is poked directly (it relays every workspace's events,
 * so others need not wake); otherwise one NOTIFY, shared by the writes of the next moment, wakes them.
 * Best effort: relays also poll.
 */
export function wakeRelaysSoon(db: Db): void {
  const local = localRelays.get(db);
  if (local?.size) {
    for (const wake of local) wake();
    return;
  }
  if (wakePending.has(db)) return;
  wakePending.add(db);
  setTimeout(() => {
    wakePending.delete(db);
    db.execute(sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`).catch(() => {});
  }, WAKE_WINDOW_MS).unref();
}

export async function pendingOutboxCount(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(sql`${outbox.processedAt} IS NULL`);
  return row?.n ?? 0;
}
