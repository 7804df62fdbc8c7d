import { sql } from 'drizzle-orm';
import { makePgArray, PgTransaction } from 'drizzle-orm/pg-core';
import type { FastifyBaseLogger } from 'fastify';
import { type Database, type Db, queryRows } from '../db/database.ts';
import type { FanOutTransport } from './transport.ts';

// A plain boolean, so `db` keeps its type after the check.
const inTransaction = (db: Db): boolean => db instanceof PgTransaction;

/**
 * Makes a broker transport keep the postgres transport's promise: what is published inside a
 * transaction leaves once that transaction has committed, and never if it rolled back. PostgreSQL
 * tells which through txid_status; one background query asks about every waiting transaction at once,
 * so the cost is one txid_current() per publishing transaction, not a query per message.
 */
export function sendAfterCommit(
  inner: FanOutTransport,
  database: Database,
  logger: FastifyBaseLogger,
  pollMs = 5,
): FanOutTransport {
  // Transaction id → its payloads in publish order.
  const waiting = new Map<string, string[]>();
  let polling: Promise<void> | undefined;
  let closed = false;

  async function poll() {
    while (waiting.size > 0 && !closed) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      let rows: { id: string; status: string | null }[];
      try {
        rows = await queryRows(
          database.db,
          sql`SELECT id::text AS id, txid_status(id) AS status
              FROM unnest(${makePgArray([...waiting.keys()])}::bigint[]) AS id`,
        );
      } catch (error) {
        logger.warn({ err: error }, 'could not ask which realtime transactions committed; asking again');
        continue;
      }
      // Everything that committed since the last look goes out as one publish (one pipeline to Redis).
      const due: string[] = [];
      for (const { id, status } of rows) {
        if (status === 'in progress') continue;
        const payloads = waiting.get(id) ?? [];
        waiting.delete(id);
        // Aborted, or (null) so old PostgreSQL no longer knows: nothing to send.
        if (status === 'committed') due.push(...payloads);
      }
      if (due.length) await inner.publish(database.db, due);
    }
    polling = undefined;
  }

  return {
    kind: inner.kind,
    async publish(db, payloads) {
      // Outside a transaction there is nothing to wait for (the request proxy answers as the pool).
      if (!inTransaction(db)) return inner.publish(db, payloads);
      const [row] = await queryRows<{ id: string }>(db, sql`SELECT txid_current()::text AS id`);
      const held = waiting.get(row!.id) ?? [];
      held.push(...payloads);
      waiting.set(row!.id, held);
      polling ??= poll();
    },
    subscribe: (onPayload) => inner.subscribe(onPayload),
    async close() {
      closed = true;
      await polling;
      waiting.clear();
      await inner.close();
    },
  };
}
