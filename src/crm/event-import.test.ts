import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { customerEvents, customerOrderItems } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import { csvEvents, importEvents, ndjsonEvents } from './event-import.ts';

describeEachDatabase('business event import', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  it('imports CSV orders row by item, reports bad lines by number, and skips known ids on a re-run', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const csv = [
      'id,type,occurred_at,email,external_id,order_number,sku,item_name,quantity,price,data',
      'o-1,order.placed,2011-01-05 10:00:00,ann@shop.test,,A-1,SKU1,"Mug, red",2,3.5,',
      'o-1,order.placed,2011-01-05 10:00:00,ann@shop.test,,A-1,SKU2,Tea,1,4,',
      's-1,shipment.delayed,2011-01-06T09:00:00Z,,,A-1,,,,,',
      'x-1,loyalty.points,2011-01-07T09:00:00Z,,c-9,,,,,,"{""points"":40}"',
      'x-2,loyalty.points,2011-01-07T09:00:00Z,bob@shop.test,,,,,,,{broken',
    ].join('\n');
    const lines = csvEvents(csv);
    const seen: number[] = [];
    const first = await importEvents(database.db, admin.actor, lines, (done) => seen.push(done));
    expect(first.created).toBe(2);
    expect(first.rejected).toEqual([
      { line: 4, reason: expect.stringContaining('customer') },
      { line: 6, reason: 'the data column is not valid JSON' },
    ]);
    expect(seen.at(-1)).toBe(lines.length);
    const items = await database.db
      .select({
        sku: customerOrderItems.sku,
        name: customerOrderItems.name,
        at: customerOrderItems.occurredAt,
      })
      .from(customerOrderItems)
      .where(eq(customerOrderItems.workspaceId, workspace.id));
    expect(items.map((i) => i.name).sort()).toEqual(['Mug, red', 'Tea']);
    expect(items[0]!.at.toISOString()).toBe('2011-01-05T10:00:00.000Z');
    const again = await importEvents(database.db, admin.actor, csvEvents(csv));
    expect(again).toMatchObject({ created: 0, skipped: 2 });
  });

  it('imports NDJSON and names the line of invalid JSON or an invalid event', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const ndjson = [
      JSON.stringify({
        id: 'p-1',
        customer: { phone: '+1 555 0100' },
        type: 'payment.failed',
        data: { amount: 12 },
      }),
      '',
      '{not json',
      JSON.stringify({
        customer: { email: 'z@shop.test' },
        type: 'payment.failed',
        data: { amount: 'lots' },
      }),
    ].join('\n');
    const summary = await importEvents(database.db, admin.actor, ndjsonEvents(ndjson));
    expect(summary.created).toBe(1);
    expect(summary.rejected).toEqual([
      { line: 3, reason: 'not valid JSON' },
      { line: 4, reason: expect.stringContaining('data.amount') },
    ]);
    const stored = await database.db
      .select()
      .from(customerEvents)
      .where(eq(customerEvents.workspaceId, workspace.id));
    expect(stored).toMatchObject([{ type: 'payment.failed', amount: 12, externalId: 'p-1' }]);
  });
});
