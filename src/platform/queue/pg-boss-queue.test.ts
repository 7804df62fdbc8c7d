import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../../test/support/databases.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { createLogger } from '../logger.ts';
import { createPgBossQueue } from './pg-boss-queue.ts';
import type { Queue } from './queue.ts';

declare module './queue.ts' {
  interface JobTypes {
    'test.restart': { workspaceId: string };
    'test.spread': { workspaceId: string; n: number };
    'test.batch': { workspaceId: string; n: number; fail: boolean };
  }
}

const started: Queue[] = [];
afterEach(async () => {
  for (const queue of started.splice(0)) await queue.stop();
});

async function startQueue(kind: DatabaseKind, worker = true) {
  const queue = createPgBossQueue({
    database: await sharedDatabase(kind),
    url: process.env.TEST_DATABASE_URL,
    worker,
    logger: createLogger('silent'),
    pollingIntervalSeconds: 0.5,
  });
  await queue.start();
  started.push(queue);
  return queue;
}

describeEachDatabase('durable queue', (kind) => {
  it('keeps a job sent before a restart and runs it once afterwards', async () => {
    const workspaceId = randomUUID();
    const before = await startQueue(kind, false);
    const id = await before.send('test.restart', { workspaceId });
    await before.stop();
    started.splice(started.indexOf(before), 1);

    const after = await startQueue(kind);
    expect((await after.list({ workspaceId })).map((job) => job.id)).toEqual([id]);
    const runs: string[] = [];
    await after.work('test.restart', async (payload, job) => {
      if (payload.workspaceId === workspaceId) runs.push(job.id);
    });
    await eventually(async () => (await after.list({ workspaceId })).length === 0, 'the job to complete');
    expect(runs).toEqual([id]);
  });

  it('runs each job once across two workers', async () => {
    const workspaceId = randomUUID();
    const [one, two] = [await startQueue(kind), await startQueue(kind)];
    const runs: { n: number; node: string }[] = [];
    for (const [node, queue] of [
      ['one', one],
      ['two', two],
    ] as const)
      await queue.work('test.spread', async (payload) => {
        if (payload.workspaceId === workspaceId) runs.push({ n: payload.n, node });
      });
    for (let n = 0; n < 12; n++) await one.send('test.spread', { workspaceId, n });
    await eventually(async () => (await one.list({ workspaceId })).length === 0, 'every job to complete');
    expect(runs.map((run) => run.n).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
  });

  it('drops a second job with the same singleton key while the first waits', async () => {
    const workspaceId = randomUUID();
    const queue = await startQueue(kind, false);
    const later = new Date(Date.now() + 3_600_000);
    const key = `k-${workspaceId}`;
    expect(
      await queue.send('test.restart', { workspaceId }, { singletonKey: key, startAfter: later }),
    ).not.toBeNull();
    expect(
      await queue.send('test.restart', { workspaceId }, { singletonKey: key, startAfter: later }),
    ).toBeNull();
    expect(await queue.send('test.restart', { workspaceId }, { startAfter: later })).not.toBeNull();
    expect(await queue.list({ workspaceId, state: 'pending' })).toHaveLength(2);
  });

  it('fails only the job that threw, and completes the rest of a backlog claimed in one batch', async () => {
    const workspaceId = randomUUID();
    const queue = await startQueue(kind);
    // A backlog due at once, as delayed jobs falling due together are: fetched ten at a time.
    for (let n = 0; n < 15; n++)
      await queue.send('test.batch', { workspaceId, n, fail: n === 3 }, { retryLimit: 0 });
    const runs: number[] = [];
    await queue.work('test.batch', async (payload) => {
      if (payload.workspaceId !== workspaceId) return;
      runs.push(payload.n);
      if (payload.fail) throw new Error('card declined');
    });
    await eventually(
      async () => (await queue.list({ workspaceId, state: 'pending' })).length === 0,
      'the backlog to drain',
    );
    await eventually(
      async () => (await queue.list({ workspaceId, state: 'failed' })).length === 1,
      'the throwing job to fail',
    );
    const failed = await queue.list({ workspaceId, state: 'failed' });
    expect(failed.map((job) => [job.payload, job.error])).toEqual([
      [{ workspaceId, n: 3, fail: true }, 'card declined'],
    ]);
    expect(runs.sort((a, b) => a - b)).toEqual([...Array(15).keys()]);
  });
});
