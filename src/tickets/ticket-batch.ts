import { availableParallelism } from 'node:os';
import { PgliteSession } from 'drizzle-orm/pglite';
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
  /** Most message text one statement carries (a larger ticket still goes, alone). */
  maxBytes?: number;
  /** Batches running at once (default: half the cores); while they all run, tickets gather for the next. */
  maxInFlight?: number;
};

// What a ticket adds to the batch statement's parameter, roughly: its message.
const sizeOf = ({ ticket }: BatchItem) =>
  ticket.message.bodyText.length + (ticket.message.bodyHtml?.length ?? 0) + ticket.subject.length;

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
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  // PostgreSQL runs a batch on one core; leave the others to the requests queuing for the next one.
  const maxInFlight = options.maxInFlight ?? Math.max(1, Math.floor(availableParallelism() / 2));
  // PGlite runs statements on this thread: there the next batch would hold the answers back instead,
  // so answer first and let the requests that come in meanwhile join the next batch.
  const sameThread = db._.session instanceof PgliteSession;
  let queue: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;
  const busyIdentities = new Set<string>();
  const stats: TicketBatcherStats = { tickets: 0, batches: 0, fallbacks: 0 };

  // After the current I/O callbacks, so that tickets whose requests arrived together share a batch.
  function schedule() {
    if (scheduled || inFlight >= maxInFlight || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      dispatch();
    });
  }

  function dispatch() {
    while (inFlight < maxInFlight) {
      const batch = take();
      if (batch.length === 0) return;
      void run(batch);
    }
  }

  function take(): Waiting[] {
    const batch: Waiting[] = [];
    const left: Waiting[] = [];
    let bytes = 0;
    for (const waiting of queue) {
      const key = identityKey(waiting.item);
      const size = sizeOf(waiting.item);
      const fits = batch.length === 0 || (batch.length < maxBatch && bytes + size <= maxBytes);
      if (fits && !(key && busyIdentities.has(key))) {
        batch.push(waiting);
        bytes += size;
      } else left.push(waiting);
    }
    queue = left;
    return batch;
  }

  // Batches in flight never share an identity (take skips busy ones), so a set is enough.
  function markIdentities(batch: Waiting[], busy: boolean) {
    for (const waiting of batch) {
      const key = identityKey(waiting.item);
      if (key && busy) busyIdentities.add(key);
      else if (key) busyIdentities.delete(key);
    }
  }

  const one = (waiting: Waiting) =>
    insertNewTicket(db, waiting.item.actor, waiting.item.ticket, { notify: false }).then(
      waiting.resolve,
      waiting.reject,
    );

  // Writes the batch; resolves to what answers its callers.
  async function write(batch: Waiting[]): Promise<() => void> {
    if (batch.length === 1) {
      const [waiting] = batch as [Waiting];
      return insertNewTicket(db, waiting.item.actor, waiting.item.ticket, { notify: false }).then(
        (ticket) => () => waiting.resolve(ticket),
        (error: unknown) => () => waiting.reject(error),
      );
    }
    stats.batches++;
    try {
      const results = await insertTicketBatch(
        db,
        batch.map((waiting) => waiting.item),
      );
      return () => {
        for (const [i, waiting] of batch.entries()) waiting.resolve(results[i]);
      };
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
      return () => {};
    }
  }

  async function run(batch: Waiting[]) {
    inFlight++;
    markIdentities(batch, true);
    let answer = () => {};
    try {
      answer = await write(batch);
    } finally {
      inFlight--;
      markIdentities(batch, false);
      if (!sameThread) dispatch();
    }
    if (sameThread) {
      answer();
      schedule();
    } else {
      // Answer the callers once the next batch is on its way: their responses would hold it back.
      setImmediate(answer);
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
