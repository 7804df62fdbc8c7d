import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { feedbackItems } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import { importFeedbackCsv } from './feedback-import.ts';

describeEachDatabase('feedback CSV import', (kind: DatabaseKind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  it('links rows to known customers, rejects bad rows with their line, and skips them on a re-run', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const ticket = await makeTicket(database.db, admin.actor, {
      customer: { email: 'dana@shop.test', name: 'Dana' },
    });
    const csv = [
      'source,external_id,rating,email,review,occurred_at',
      'trustpilot,tp-1,1,DANA@shop.test,"Parcel came late, ""again""",2026-03-02T10:00:00Z',
      'trustpilot,,2,stranger@else.test,Sizes run small,2026-03-03',
      'trustpilot,tp-3,lots,,Bad rating,2026-03-03',
      'trustpilot,tp-4,3,,,2026-03-03',
    ].join('\n');
    const now = new Date('2026-04-01T00:00:00Z');
    const first = await importFeedbackCsv(database.db, admin.actor, csv, now);
    expect(first).toEqual({
      created: 2,
      skipped: 0,
      rejected: [
        { row: 4, reason: 'rating "lots" is not a number' },
        { row: 5, reason: 'no text in body, text, comment or review' },
      ],
    });
    const items = await database.db
      .select()
      .from(feedbackItems)
      .where(eq(feedbackItems.workspaceId, workspace.id))
      .orderBy(feedbackItems.occurredAt);
    expect(items).toEqual([
      expect.objectContaining({
        source: 'trustpilot',
        externalId: 'tp-1',
        rating: 1,
        body: 'Parcel came late, "again"',
        customerId: ticket.customerId,
      }),
      expect.objectContaining({ body: 'Sizes run small', customerId: null, email: 'stranger@else.test' }),
    ]);
    const again = await importFeedbackCsv(database.db, admin.actor, csv, now);
    expect(again).toMatchObject({ created: 0, skipped: 2 });
    const agent = await makeUser(database.db, workspace.id, 'agent');
    await expect(importFeedbackCsv(database.db, agent.actor, csv, now)).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
