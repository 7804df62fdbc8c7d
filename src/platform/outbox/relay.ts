import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { type Database, type Db, queryRows } from '../db/database.ts';
import { OUTBOX_CHANNEL, type OutboxEvent } from './outbox.ts';

/** A side effect of domain events: declares what it handles and does one thing, inside the relay's transaction. */
export interface OutboxHandler {
  name: string;
  handles(type: string): boolean;
  /**
   * Only database work here: it runs in a savepoint that may be rolled back and run again, and only the
   * committed run counts. Network calls go through their own queue (see webhooks).
   */
  handle(tx: Db, event: OutboxEvent): Promise<void>;
}

const MAX_ATTEMPTS = 10;

type Row = {
  id: number | string;
  workspace_id: string;
  type: string;
  payload: Record<string, unknown>;
  created_at: Date | string;
  attempts: number;
};

const toEvent = (row: Row): OutboxEvent => ({
  id: Number(row.id),
  workspaceId: row.workspace_id,
  type: row.type,
  payload: row.payload,
  createdAt: new Date(row.created_at),
});

export type OutboxRelay = {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Processes until nothing is due; returns how many events were handled. For tests and the CLI. */
  drain(): Promise<number>;
};

export function createOutboxRelay(options: {
  database: Database;
  handlers: OutboxHandler[];
  logger: FastifyBaseLogger;
  batchSize?: number;
  pollMs?: number;
  /** Relay only this workspace's events: lets tests drain their own events on a shared database. */
  workspaceId?: string;
}): OutboxRelay {
  const { database, handlers, logger } = options;
  const batchSize = options.batchSize ?? 200;
  const pollMs = options.pollMs ?? 1000;
  let running = false;
  let wake: (() => void) | undefined;
  let poked = false;
  let loop: Promise<void> | undefined;
  let unlisten: (() => Promise<void>) | undefined;

  async function runHandlers(tx: Db, event: OutboxEvent) {
    for (const handler of handlers) if (handler.handles(event.type)) await handler.handle(tx, event);
  }

  async function processBatch(): Promise<number> {
    return database.db.transaction(async (tx) => {
      // SKIP LOCKED lets every worker node relay at once without handling an event twice.
      const rows = await queryRows<Row>(
        tx,
        sql`SELECT id, workspace_id, type, payload, created_at, attempts FROM outbox
            WHERE processed_at IS NULL AND available_at <= now()
            ${options.workspaceId ? sql`AND workspace_id = ${options.workspaceId}` : sql``}
            ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`,
      );
      const events = rows.map(toEvent);
      // Fast path: the whole batch in one savepoint, marked done with one UPDATE. Handlers only write
      // to the database (NOTIFY included), so if one fails, rolling the savepoint back undoes them all
      // and the batch is redone one event at a time: the failure stays with its own event.
      if (events.length > 1) {
        const done = await tx
          .transaction(async (savepoint) => {
            for (const event of events) await runHandlers(savepoint, event);
            return true;
          })
          .catch(() => false);
        if (done) {
          const ids = `{${events.map((event) => event.id).join(',')}}`;
          await tx.execute(
            sql`UPDATE outbox SET processed_at = now(), attempts = attempts + 1 WHERE id = ANY(${ids}::bigint[])`,
          );
          return rows.length;
        }
      }
      for (const [index, event] of events.entries()) {
        try {
          await tx.transaction((savepoint) => runHandlers(savepoint, event));
          await tx.execute(
            sql`UPDATE outbox SET processed_at = now(), attempts = attempts + 1 WHERE id = ${event.id}`,
          );
        } catch (error) {
          const attempts = rows[index]!.attempts + 1;
          const message = error instanceof Error ? error.message : String(error);
          logger.error(
            { err: error, eventId: event.id, type: event.type, attempts },
            'outbox handler failed',
          );
          const giveUp = attempts >= MAX_ATTEMPTS;
          const backoffSeconds = Math.min(2 ** attempts, 3600);
          await tx.execute(
            sql`UPDATE outbox SET attempts = ${attempts}, last_error = ${message},
                available_at = now() + make_interval(secs => ${backoffSeconds}),
                processed_at = CASE WHEN ${giveUp} THEN now() ELSE NULL END
                WHERE id = ${event.id}`,
          );
        }
      }
      return rows.length;
    });
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const handled = await processBatch();
      total += handled;
      if (handled < batchSize) return total;
    }
  }

  async function run() {
    while (running) {
      poked = false;
      try {
        await drain();
      } catch (error) {
        logger.error({ err: error }, 'outbox relay failed; retrying');
      }
      if (!running) break;
      // A NOTIFY that came while draining may be for a row the drain did not see yet: go again.
      if (poked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  return {
    async start() {
      if (running) return;
      running = true;
      unlisten = await database.listen(OUTBOX_CHANNEL, () => {
        poked = true;
        wake?.();
      });
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      await unlisten?.();
    },
    drain,
  };
}
