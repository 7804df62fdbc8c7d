import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../../test/support/databases.ts';
import type { Database } from '../db/database.ts';
import type { OutboxEvent } from '../outbox/outbox.ts';
import { REALTIME_CHANNEL, type RealtimeMessage, realtimeFanOut } from './hub.ts';

describeEachDatabase('realtime fan-out', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  /** Everything published for one workspace (the database is shared with other tests). */
  async function collect(workspaceId: string, run: () => Promise<void>, expected: number) {
    const seen: RealtimeMessage[] = [];
    const unlisten = await database.listen(REALTIME_CHANNEL, (payload) => {
      const message = JSON.parse(payload) as RealtimeMessage;
      if (message.workspaceId === workspaceId) seen.push(message);
    });
    try {
      await run();
      for (let i = 0; i < 100 && seen.length < expected; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await unlisten();
    }
    return seen;
  }

  it('sends one notification per event of a batch, in order, as handle would', async () => {
    const workspaceId = randomUUID();
    const events: OutboxEvent[] = [1, 2, 3].map((id) => ({
      id,
      workspaceId,
      type: 'ticket.updated',
      payload: id === 2 ? { id: 'big', text: 'x'.repeat(8000) } : { id: `t${id}`, text: 'it\'s "quoted" \\' },
      createdAt: new Date(),
    }));
    const batched = await collect(
      workspaceId,
      () => database.db.transaction((tx) => realtimeFanOut.handleBatch!(tx, events)),
      3,
    );
    const single = await collect(
      workspaceId,
      async () => {
        for (const event of events) await database.db.transaction((tx) => realtimeFanOut.handle(tx, event));
      },
      3,
    );
    expect(batched).toEqual(single);
    expect(batched.map((m) => m.eventId)).toEqual([1, 2, 3]);
    expect(batched[1]!.data).toEqual({ truncated: true, id: 'big' });
    expect(batched[0]!.data).toEqual(events[0]!.payload);
  });
});
