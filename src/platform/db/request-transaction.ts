import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from './database.ts';

type Scope = { tx: Db; open: boolean };

const scopes = new AsyncLocalStorage<Scope>();

function current(): Db | undefined {
  const scope = scopes.getStore();
  return scope?.open ? scope.tx : undefined;
}

/**
 * The Db every service is given: outside a request transaction it is the pool itself; inside one
 * (see runInRequestTransaction) every query, and every `transaction()` as a savepoint, joins it. So a
 * request's writes and what it records about itself (its Idempotency-Key's answer) commit together,
 * without each service having to be handed the transaction.
 */
export function joinRequestTransactions(db: Db): Db {
  return new Proxy(db, {
    get(target, property) {
      const base = current() ?? target;
      const value: unknown = Reflect.get(base, property, base);
      return typeof value === 'function' ? value.bind(base) : value;
    },
    // Services ask `db instanceof PgTransaction` to choose a savepoint over a batch of their own.
    getPrototypeOf(target) {
      return Object.getPrototypeOf(current() ?? target);
    },
  });
}

/**
 * Runs `work` with `db` as the transaction of everything awaited from it. When `work` settles the
 * scope closes: a timer or callback it started that runs later uses the pool again, never a
 * transaction that has already committed.
 */
export async function runInRequestTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const scope: Scope = { tx, open: true };
    try {
      return await scopes.run(scope, () => work(tx));
    } finally {
      scope.open = false;
    }
  });
}
