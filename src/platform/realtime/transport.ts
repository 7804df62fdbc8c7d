import { sql } from 'drizzle-orm';
import { makePgArray } from 'drizzle-orm/pg-core';
import { type Database, type Db, notify } from '../db/database.ts';

export const REALTIME_CHANNEL = 'rapport_realtime';

/**
 * How realtime payloads travel between nodes. PostgreSQL's NOTIFY by default; Redis or NATS when a
 * deployment's volume outgrows PostgreSQL's single notify queue (RAPPORT_FANOUT).
 */
export interface FanOutTransport {
  readonly kind: 'postgres' | 'redis' | 'nats';
  /**
   * Sends the payloads, in order, to every node's subscribers. Inside a transaction they leave at its
   * commit and vanish with its rollback: the postgres transport sends them with `db`, the brokers' are
   * held by sendAfterCommit. Brokers drop what they cannot send while disconnected (realtime is best
   * effort: clients resync when they reconnect).
   */
  publish(db: Db, payloads: string[]): Promise<void>;
  /** Calls `onPayload` with every payload any node publishes, until the returned function is called. */
  subscribe(onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** NOTIFY with `db`: inside a transaction, listeners get the payloads once it commits. */
export async function notifyRealtime(db: Db, payloads: string[]): Promise<void> {
  if (payloads.length === 1) return notify(db, REALTIME_CHANNEL, payloads[0]!);
  if (payloads.length === 0) return;
  // Still one NOTIFY per payload (what listeners expect), but all sent by one statement.
  await db.execute(sql`SELECT pg_notify(${REALTIME_CHANNEL}, payload)
    FROM unnest(${makePgArray(payloads)}::text[]) WITH ORDINALITY AS batch (payload, position)
    ORDER BY position`);
}

export function createPostgresTransport(database: Database): FanOutTransport {
  return {
    kind: 'postgres',
    publish: notifyRealtime,
    subscribe: (onPayload) => database.listen(REALTIME_CHANNEL, onPayload),
    // The database belongs to the process, not to the transport.
    async close() {},
  };
}
