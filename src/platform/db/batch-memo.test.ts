import { describe, expect, it } from 'vitest';
import { allowBatchMemo, memoInBatch } from './batch-memo.ts';
import type { Db } from './database.ts';

describe('memoInBatch', () => {
  const handle = () => ({}) as unknown as Db;

  it('loads once per key within a transaction the relay marked', async () => {
    const tx = handle();
    allowBatchMemo(tx);
    let loads = 0;
    const load = async () => ++loads;
    expect(await memoInBatch(tx, 'a', load)).toBe(1);
    expect(await memoInBatch(tx, 'a', load)).toBe(1);
    expect(await memoInBatch(tx, 'b', load)).toBe(2);
    // Another batch reads afresh.
    const next = handle();
    allowBatchMemo(next);
    expect(await memoInBatch(next, 'a', load)).toBe(3);
  });

  it('loads every time on a handle nobody marked, and after a failed load', async () => {
    const db = handle();
    let loads = 0;
    expect(await memoInBatch(db, 'a', async () => ++loads)).toBe(1);
    expect(await memoInBatch(db, 'a', async () => ++loads)).toBe(2);
    const tx = handle();
    allowBatchMemo(tx);
    await expect(memoInBatch(tx, 'x', async () => Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    expect(await memoInBatch(tx, 'x', async () => 'back')).toBe('back');
  });
});
