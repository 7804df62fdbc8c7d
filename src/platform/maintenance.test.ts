import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { idempotencyKeys, outbox } from '../db/schema/index.ts';
import type { Db } from './db/database.ts';
import { sweep } from './maintenance.ts';
import { recordEvent } from './outbox/outbox.ts';

describeEachDatabase('maintenance sweep', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = (await sharedDatabase(kind)).db;
  });

  it('removes old idempotency keys and relayed events, and keeps what is still needed', async () => {
    const { workspace, admin } = await makeWorkspace(db);
    const key = (name: string, hoursAgo: number) => ({
      workspaceId: workspace.id,
      userId: admin.id,
      key: name,
      requestHash: 'h',
      createdAt: sql`now() - make_interval(hours => ${hoursAgo})`,
    });
    await db.insert(idempotencyKeys).values([key('old', 48), key('fresh', 1)]);
    for (const type of ['old.done', 'new.done', 'old.pending']) {
      await db.transaction((tx) => recordEvent(tx, { workspaceId: workspace.id, type, payload: {} }));
    }
    await db.execute(
      sql`UPDATE outbox SET processed_at = now() - interval '8 days' WHERE workspace_id = ${workspace.id} AND type = 'old.done'`,
    );
    await db.execute(
      sql`UPDATE outbox SET processed_at = now() WHERE workspace_id = ${workspace.id} AND type = 'new.done'`,
    );
    await sweep(db);
    const keys = await db
      .select({ key: idempotencyKeys.key })
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.workspaceId, workspace.id));
    expect(keys.map((k) => k.key)).toEqual(['fresh']);
    const events = await db
      .select({ type: outbox.type })
      .from(outbox)
      .where(eq(outbox.workspaceId, workspace.id));
    expect(events.map((e) => e.type).sort()).toEqual(['new.done', 'old.pending']);
  });
});
