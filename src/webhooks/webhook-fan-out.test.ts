import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { testDeps } from '../../test/support/http.ts';
import { webhookDeliveries } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import type { OutboxEvent } from '../platform/outbox/outbox.ts';
import { webhookFanOut } from './webhook-fan-out.ts';
import { createWebhook, deleteWebhook } from './webhook-service.ts';

describeEachDatabase('webhook fan-out', (kind) => {
  let db: Db;
  let deps: Deps;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    const database = await sharedDatabase(kind);
    db = database.db;
    deps = testDeps(database);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function subscribe(actor: Actor, events: string[], active = true) {
    const { webhook } = await createWebhook(deps, actor, {
      url: 'https://hooks.example.test/in',
      events,
      active,
    });
    cleanups.push(() => deleteWebhook(db, actor, webhook.id));
    return webhook;
  }

  const event = (workspaceId: string, id: number, type: string): OutboxEvent => ({
    id,
    workspaceId,
    type,
    payload: { ticket: { id: `t${id}` }, note: 'ünïcode "quoted" \\ text' },
    createdAt: new Date('2026-03-01T10:00:00.123Z'),
  });

  it('queues a batch exactly as event-by-event handling would, and nothing twice on replay', async () => {
    const one = await makeWorkspace(db);
    const two = await makeWorkspace(db);
    const all = await subscribe(one.admin.actor, ['*']);
    const created = await subscribe(one.admin.actor, ['ticket.created']);
    const inactive = await subscribe(one.admin.actor, ['*'], false);
    const elsewhere = await subscribe(two.admin.actor, ['ticket.updated']);
    const events = [
      event(one.workspace.id, 1, 'ticket.created'),
      event(one.workspace.id, 2, 'ticket.updated'),
      event(two.workspace.id, 3, 'ticket.updated'),
      event(two.workspace.id, 4, 'ticket.created'),
    ];
    await db.transaction((tx) => webhookFanOut.handleBatch!(tx, events));
    await db.transaction((tx) => webhookFanOut.handleBatch!(tx, events));
    const queued = async (subscriptionId: string) =>
      (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, subscriptionId)))
        .map((d) => ({ eventId: d.eventId, type: d.eventType, payload: d.payload }))
        .sort((a, b) => a.eventId - b.eventId);
    const expected = (e: OutboxEvent) => ({
      eventId: e.id,
      type: e.type,
      payload: {
        id: e.id,
        type: e.type,
        workspaceId: e.workspaceId,
        createdAt: '2026-03-01T10:00:00.123Z',
        data: e.payload,
      },
    });
    expect(await queued(all.id)).toEqual([expected(events[0]!), expected(events[1]!)]);
    expect(await queued(created.id)).toEqual([expected(events[0]!)]);
    expect(await queued(inactive.id)).toEqual([]);
    expect(await queued(elsewhere.id)).toEqual([expected(events[2]!)]);

    // The single-event path writes the same rows.
    const single = await subscribe(two.admin.actor, ['*']);
    await db.transaction((tx) => webhookFanOut.handle(tx, events[3]!));
    expect(await queued(single.id)).toEqual([expected(events[3]!)]);
  });
});
