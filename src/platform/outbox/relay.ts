import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { allowBatchMemo } from '../db/batch-memo.ts';
import { type Database, type Db, queryRows } from '../db/database.ts';
import { OUTBOX_CHANNEL, type OutboxEvent, registerLocalRelay } from './outbox.ts';

/** A side effect of domain events: declares what it handles and does one thing, inside the relay's transaction. */
export interface OutboxHandler {
  name: string;
  handles(type: string): boolean;
  /**
   * Only database work here: it runs in a savepoint that may be rolled back and run again, and only the
   * committed run counts. Network calls go through their own queue (see webhooks).
   */
  handle(tx: Db, event: OutboxEvent): Promise<void>;
  /**
   * The same work for several events (all handled by this handler, oldest first) in fewer statements.
   * Must leave what calling `handle` on each would. If it throws, the relay redoes the batch event by
   * event with `handle`, so a failure still stays with its own event.
   */
  handleBatch?(tx: Db, events: OutboxEvent[]): Promise<void>;
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
  /** Under steady load, how long events gather between batches. */
  settleMs?: number;
  /** Relay only this workspace's events: lets tests drain their own events on a shared database. */
  workspaceId?: string;
}): OutboxRelay {
  const { database, handlers, logger } = options;
  const batchSize = options.batchSize ?? 200;
  const pollMs = options.pollMs ?? 1000;
  const settleMs = options.settleMs ?? 10;
  let running = false;
  let wake: (() => void) | undefined;
  let poked = false;
  let loop: Promise<void> | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let unregister: (() => void) | undefined;

  async function runHandlers(tx: Db, event: OutboxEvent) {
    for (const handler of handlers) if (handler.handles(event.type)) await handler.handle(tx, event);
  }

  // Handler by handler rather than event by event: a handler with handleBatch takes all its events in
  // one go. Handlers are independent of each other, and each still sees its events in order.
  async function runHandlersOnBatch(tx: Db, events: OutboxEvent[]) {
    allowBatchMemo(tx);
    for (const handler of handlers) {
      const mine = events.filter((event) => handler.handles(event.type));
      if (mine.length === 0) continue;
      if (handler.handleBatch && mine.length > 1) await handler.handleBatch(tx, mine);
      else for (const event of mine) await handler.handle(tx, event);
    }
  }

  const due = () => sql`SELECT id FROM outbox WHERE processed_at IS NULL AND available_at <= now()
    ${options.workspaceId ? sql`AND workspace_id = ${options.workspaceId}` : sql``}
    ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;

  // Fast path: one transaction claims the due events and marks them done in one UPDATE, then runs the
  // handlers on the whole batch. Handlers only write to the database (NOTIFY included), so if one
  // fails, the rollback undoes it all and processOneByOne redoes the batch: the failure stays with its
  // own event. Undefined when something failed.
  async function processAtOnce(): Promise<number | undefined> {
    return database.db
      .transaction(async (tx) => {
        // SKIP LOCKED lets every worker node relay at once without handling an event twice.
        const rows = await queryRows<Row>(
          tx,
          sql`UPDATE outbox SET processed_at = now(), attempts = attempts + 1 WHERE id IN (${due()})
              RETURNING id, workspace_id, type, payload, created_at, attempts`,
        );
        const events = rows.map(toEvent).sort((a, b) => a.id - b.id);
        await runHandlersOnBatch(tx, events);
        return rows.length;
      })
      .catch(() => undefined);
  }

  async function processOneByOne(): Promise<number> {
    return database.db.transaction(async (tx) => {
      const rows = await queryRows<Row>(
        tx,
        sql`SELECT id, workspace_id, type, payload, created_at, attempts FROM outbox
            WHERE id IN (${due()}) ORDER BY id`,
      );
      for (const row of rows) {
        const event = toEvent(row);
        try {
          await tx.transaction((savepoint) => runHandlers(savepoint, event));
          await tx.execute(
            sql`UPDATE outbox SET processed_at = now(), attempts = attempts + 1 WHERE id = ${event.id}`,
          );
        } catch (error) {
          const attempts = row.attempts + 1;
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

  async function processBatch(): Promise<number> {
    return (await processAtOnce()) ?? processOneByOne();
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
      // A NOTIFY that came while draining may be for a row the drain did not see yet: go again, after
      // a moment for more to gather (under steady load a batch of many costs the round trips of one).
      if (poked) {
        await new Promise((resolve) => setTimeout(resolve, settleMs));
        continue;
      }
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
      const poke = () => {
        poked = true;
        wake?.();
      };
      unlisten = await database.listen(OUTBOX_CHANNEL, poke);
      // Only a relay of every workspace may stand in for the NOTIFY others would get.
      if (!options.workspaceId) unregister = registerLocalRelay(database.db, poke);
      loop = run();
    },
    async stop() {
      running = false;
      unregister?.();
      wake?.();
      await loop;
      await unlisten?.();
    },
    drain,
  };
}
