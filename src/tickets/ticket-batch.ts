import type { AnyActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { type BatchItem, batchItem, identityKey, insertTicketBatch } from './ticket-batch-insert.ts';
import { insertNewTicket, type NewTicket } from './ticket-insert.ts';
import type { TicketWithCustomer } from './ticket-queries.ts';

type Waiting = {
  item: BatchItem;
  resolve(ticket: TicketWithCustomer | undefined): void;
  reject(error: unknown): void;
};

export type TicketBatcherOptions = {
  /** Most tickets one statement writes. */
  maxBatch?: number;
  /** Batches running at once; while they all run, new tickets gather for the next. */
  maxInFlight?: number;
};

export type TicketBatcherStats = {
  /** Tickets given to insert. */
  tickets: number;
  /** Statements that wrote several tickets at once. */
  batches: number;
  /** Batches whose statement failed, so that their tickets went one by one. */
  fallbacks: number;
};

export type TicketBatcher = {
  /** insertNewTicket (without NOTIFY), sharing a statement and its commit with concurrent callers. */
  insert(actor: AnyActor, ticket: NewTicket): Promise<TicketWithCustomer | undefined>;
  stats(): TicketBatcherStats;
};

/**
 * Group commit for new tickets. Most of a ticket's cost in PostgreSQL is per statement and per commit
 * (planning, executor setup, the WAL flush, a round trip), not per row: tickets arriving while earlier
 * batches run are written together by the next, one statement and one transaction. No timer: a lone
 * ticket goes at once, and batches grow only as fast as tickets queue up behind the ones in flight.
 *
 * A caller hears back only after its batch committed. If the batch statement fails, its tickets go one
 * by one through insertNewTicket, so each gets its own result or error. Tickets for a customer identity
 * that a batch in flight is writing wait for it, so this process never races itself for a new customer.
 */
export function createTicketBatcher(db: Db, options: TicketBatcherOptions = {}): TicketBatcher {
  const maxBatch = options.maxBatch ?? 64;
  const maxInFlight = options.maxInFlight ?? 2;
  let queue: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;
  const busyIdentities = new Map<string, number>();
  const stats: TicketBatcherStats = { tickets: 0, batches: 0, fallbacks: 0 };

  // After the current I/O callbacks, so that tickets whose requests arrived together share a batch.
  function schedule() {
    if (scheduled || inFlight >= maxInFlight || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      while (inFlight < maxInFlight) {
        const batch = take();
        if (batch.length === 0) return;
        void run(batch);
      }
    });
  }

  function take(): Waiting[] {
    const batch: Waiting[] = [];
    const left: Waiting[] = [];
    for (const waiting of queue) {
      const key = identityKey(waiting.item);
      if (batch.length < maxBatch && !(key && busyIdentities.has(key))) batch.push(waiting);
      else left.push(waiting);
    }
    queue = left;
    return batch;
  }

  function markIdentities(batch: Waiting[], by: 1 | -1) {
    for (const key of new Set(batch.map((waiting) => identityKey(waiting.item)))) {
      if (!key) continue;
      const count = (busyIdentities.get(key) ?? 0) + by;
      if (count > 0) busyIdentities.set(key, count);
      else busyIdentities.delete(key);
    }
  }

  const one = (waiting: Waiting) =>
    insertNewTicket(db, waiting.item.actor, waiting.item.ticket, { notify: false }).then(
      waiting.resolve,
      waiting.reject,
    );

  async function run(batch: Waiting[]) {
    inFlight++;
    markIdentities(batch, 1);
    try {
      if (batch.length === 1) return await one(batch[0]!);
      let results: (TicketWithCustomer | undefined)[];
      stats.batches++;
      try {
        results = await insertTicketBatch(
          db,
          batch.map((waiting) => waiting.item),
        );
      } catch {
        // Nothing of the batch was written: each ticket on its own, with its own outcome; those of one
        // identity one after another, so that they do not race each other for a new customer.
        stats.fallbacks++;
        const byIdentity = new Map<unknown, Waiting[]>();
        for (const waiting of batch) {
          const key = identityKey(waiting.item) ?? waiting;
          byIdentity.set(key, [...(byIdentity.get(key) ?? []), waiting]);
        }
        await Promise.all(
          [...byIdentity.values()].map(async (same) => {
            for (const waiting of same) await one(waiting);
          }),
        );
        return;
      }
      for (const [i, waiting] of batch.entries()) waiting.resolve(results[i]);
    } finally {
      inFlight--;
      markIdentities(batch, -1);
      schedule();
    }
  }

  return {
    insert(actor, ticket) {
      stats.tickets++;
      let item: BatchItem | undefined;
      try {
        item = batchItem(actor, ticket);
      } catch (error) {
        return Promise.reject(error);
      }
      if (!item) return insertNewTicket(db, actor, ticket, { notify: false });
      const queued = item;
      return new Promise((resolve, reject) => {
        queue.push({ item: queued, resolve, reject });
        schedule();
      });
    },
    stats: () => ({ ...stats }),
  };
}

const batchers = new WeakMap<Db, TicketBatcher>();

/** The batcher of this database handle (one per pool, so batches share its connections). */
export function ticketBatcher(db: Db): TicketBatcher {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = createTicketBatcher(db);
    batchers.set(db, batcher);
  }
  return batcher;
}
