import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../../test/support/databases.ts';
import { makeWorkspace } from '../../../test/support/factories.ts';
import { outbox } from '../../db/schema/index.ts';
import type { Database } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import {
  OUTBOX_CHANNEL,
  type OutboxEvent,
  recordEvent,
  registerLocalRelay,
  wakeRelaysSoon,
} from './outbox.ts';
import { createOutboxRelay, type OutboxHandler } from './relay.ts';

const logger = createLogger('silent');

/** A handler that only looks at one workspace, so parallel tests' events do not disturb it. */
function collector(workspaceId: string, fail: (event: OutboxEvent) => boolean = () => false) {
  const seen: number[] = [];
  const handler: OutboxHandler = {
    name: 'collector',
    handles: (type) => type.startsWith('test.'),
    async handle(_tx, event) {
      if (event.workspaceId !== workspaceId) return;
      if (fail(event)) throw new Error('receiver is down');
      seen.push(event.id);
    },
  };
  return { handler, seen };
}

describeEachDatabase('outbox relay', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  it('hands every committed event to its handlers exactly once, even with two relays at work', async () => {
    const { workspace } = await makeWorkspace(database.db);
    for (let i = 0; i < 40; i++) {
      await database.db.transaction((tx) =>
        recordEvent(tx, { workspaceId: workspace.id, type: 'test.ping', payload: { i } }),
      );
    }
    const { handler, seen } = collector(workspace.id);
    const a = createOutboxRelay({
      database,
      handlers: [handler],
      logger,
      batchSize: 7,
      workspaceId: workspace.id,
    });
    const b = createOutboxRelay({
      database,
      handlers: [handler],
      logger,
      batchSize: 7,
      workspaceId: workspace.id,
    });
    await Promise.all([a.drain(), b.drain(), a.drain()]);
    expect(seen).toHaveLength(40);
    expect(new Set(seen).size).toBe(40);
  });

  it('never relays an event whose transaction rolled back', async () => {
    const { workspace } = await makeWorkspace(database.db);
    await expect(
      database.db.transaction(async (tx) => {
        await recordEvent(tx, { workspaceId: workspace.id, type: 'test.ghost', payload: {} });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const rows = await database.db.select().from(outbox).where(eq(outbox.workspaceId, workspace.id));
    expect(rows).toHaveLength(0);
  });

  it('retries a failing event later with its error recorded, and then delivers it', async () => {
    const { workspace } = await makeWorkspace(database.db);
    await database.db.transaction((tx) =>
      recordEvent(tx, { workspaceId: workspace.id, type: 'test.flaky', payload: {} }),
    );
    let down = true;
    const { handler, seen } = collector(workspace.id, () => down);
    const relay = createOutboxRelay({ database, handlers: [handler], logger, workspaceId: workspace.id });
    await relay.drain();
    const [failed] = await database.db.select().from(outbox).where(eq(outbox.workspaceId, workspace.id));
    expect(failed).toMatchObject({ attempts: 1, lastError: 'receiver is down', processedAt: null });
    expect(failed!.availableAt.getTime()).toBeGreaterThan(failed!.createdAt.getTime());
    await relay.drain();
    expect(seen).toHaveLength(0);
    down = false;
    await database.db
      .update(outbox)
      .set({ availableAt: sql`now()` })
      .where(eq(outbox.workspaceId, workspace.id));
    await relay.drain();
    expect(seen).toHaveLength(1);
    const [done] = await database.db.select().from(outbox).where(eq(outbox.workspaceId, workspace.id));
    expect(done!.processedAt).not.toBeNull();
  });

  it('gives a batch to handleBatch in order, and redoes it event by event when it fails', async () => {
    const { workspace } = await makeWorkspace(database.db);
    for (let i = 0; i < 5; i++) {
      await database.db.transaction((tx) =>
        recordEvent(tx, { workspaceId: workspace.id, type: 'test.batch', payload: { i } }),
      );
    }
    const batches: number[][] = [];
    const single: number[] = [];
    let batchFails = false;
    const handler: OutboxHandler = {
      name: 'batching',
      handles: (type) => type === 'test.batch',
      async handle(_tx, event) {
        if (event.payload.i === 3) throw new Error('event 3 is bad');
        single.push(Number(event.payload.i));
      },
      async handleBatch(_tx, events) {
        if (batchFails) throw new Error('batch failed');
        batches.push(events.map((event) => Number(event.payload.i)));
      },
    };
    const relay = createOutboxRelay({ database, handlers: [handler], logger, workspaceId: workspace.id });
    batchFails = false;
    await relay.drain();
    expect(batches).toEqual([[0, 1, 2, 3, 4]]);
    expect(single).toEqual([]);

    for (let i = 0; i < 5; i++) {
      await database.db.transaction((tx) =>
        recordEvent(tx, { workspaceId: workspace.id, type: 'test.batch', payload: { i } }),
      );
    }
    batchFails = true;
    await relay.drain();
    expect(single).toEqual([0, 1, 2, 4]);
    const failed = await database.db
      .select()
      .from(outbox)
      .where(sql`${outbox.workspaceId} = ${workspace.id} AND ${outbox.processedAt} IS NULL`);
    expect(failed.map((row) => row.payload)).toEqual([{ i: 3 }]);
    expect(failed[0]!.lastError).toBe('event 3 is bad');
  });

  it('lets a write without NOTIFY wake a relay of this process directly, or the others by NOTIFY', async () => {
    let heard = 0;
    const unlisten = await database.listen(OUTBOX_CHANNEL, () => {
      heard++;
    });
    try {
      wakeRelaysSoon(database.db);
      for (let i = 0; i < 100 && heard === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(heard).toBeGreaterThan(0);
      let poked = 0;
      const unregister = registerLocalRelay(database.db, () => {
        poked++;
      });
      wakeRelaysSoon(database.db);
      unregister();
      expect(poked).toBe(1);
    } finally {
      await unlisten();
    }
  });

  it('wakes on NOTIFY when started', async () => {
    const { workspace } = await makeWorkspace(database.db);
    const { handler, seen } = collector(workspace.id);
    const relay = createOutboxRelay({
      database,
      handlers: [handler],
      logger,
      pollMs: 60_000,
      workspaceId: workspace.id,
    });
    await relay.start();
    try {
      await database.db.transaction((tx) =>
        recordEvent(tx, { workspaceId: workspace.id, type: 'test.wake', payload: {} }),
      );
      for (let i = 0; i < 100 && seen.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen).toHaveLength(1);
    } finally {
      await relay.stop();
    }
  });
});
