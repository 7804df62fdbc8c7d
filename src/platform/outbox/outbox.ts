import { sql } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.ts';
import { type Db, notify } from '../db/database.ts';

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
  await tx.insert(outbox).values(event);
  // Delivered by PostgreSQL only at commit, so the relay never wakes for a rolled-back event.
  await notify(tx, OUTBOX_CHANNEL, '');
}

export async function pendingOutboxCount(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(sql`${outbox.processedAt} IS NULL`);
  return row?.n ?? 0;
}
