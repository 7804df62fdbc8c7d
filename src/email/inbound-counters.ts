import { sql } from 'drizzle-orm';
import { emailCounters } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';

export type InboundTally = { received: number };
export type InboundOutcome = 'stored' | 'duplicates' | 'quarantined';

/**
 * Adds one message to the workspace's tallies in the caller's transaction. Called last in the intake
 * transaction: the row lock it takes is then held only for the commit.
 */
export async function countInbound(
  tx: Db,
  workspaceId: string,
  tally: InboundTally,
  outcome: InboundOutcome,
) {
  const values = { received: tally.received, stored: 0, duplicates: 0, quarantined: 0, [outcome]: 1 };
  await tx
    .insert(emailCounters)
    .values({ workspaceId, ...values })
    .onConflictDoUpdate({
      target: emailCounters.workspaceId,
      set: {
        received: sql`${emailCounters.received} + excluded.received`,
        stored: sql`${emailCounters.stored} + excluded.stored`,
        duplicates: sql`${emailCounters.duplicates} + excluded.duplicates`,
        quarantined: sql`${emailCounters.quarantined} + excluded.quarantined`,
      },
    });
}

/** The workspace's tallies since its first message. */
export async function readInboundCounts(db: Db, workspaceId: string) {
  const [row] = await db
    .select()
    .from(emailCounters)
    .where(sql`${emailCounters.workspaceId} = ${workspaceId}`);
  return {
    received: row?.received ?? 0,
    stored: row?.stored ?? 0,
    duplicates: row?.duplicates ?? 0,
    quarantined: row?.quarantined ?? 0,
  };
}
