import type { Db } from './database.ts';

// The outbox relay runs its handlers on a batch of events in one transaction, and several handlers
// read the same workspace configuration (triggers, SLA policies, settings) for every event. Within
// such a transaction the configuration cannot change under them, so it is read once per batch.
// Only transactions the relay marks are memoised: elsewhere a transaction may write what it reads.
const memos = new WeakMap<object, Map<string, Promise<unknown>>>();

/** Marks a relay batch's transaction: reads through memoInBatch are shared within it. */
export function allowBatchMemo(tx: Db): void {
  memos.set(tx, new Map());
}

/** `load()` once per key within a marked transaction; on any other handle, every time. */
export function memoInBatch<T>(tx: Db, key: string, load: () => Promise<T>): Promise<T> {
  const memo = memos.get(tx);
  if (!memo) return load();
  const hit = memo.get(key);
  if (hit) return hit as Promise<T>;
  const value = load();
  memo.set(key, value);
  value.catch(() => memo.delete(key));
  return value;
}
