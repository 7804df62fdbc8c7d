import { sql } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.ts';
import type { Db } from '../db/database.ts';

export const OUTBOX_CHANNEL = 'rapport_outbox';

export type OutboxEvent = {
  id: number;
  workspaceId: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
};

/** Writes a domain event inside the caller's transaction; the relay picks it up after commit. */
export async function recordEvent(
  tx: Db,
  event: { workspaceId: string; type: string; payload: Record<string, unknown> },
): Promise<void> {
  // The NOTIFY rides on the insert to save a round trip per write; PostgreSQL delivers it only at
  // commit, so the relay never wakes for a rolled-back event.
  await tx
    .insert(outbox)
    .values(event)
    .returning({ notified: sql`pg_notify(${OUTBOX_CHANNEL}, '')` });
}

export async function pendingOutboxCount(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(sql`${outbox.processedAt} IS NULL`);
  return row?.n ?? 0;
}
