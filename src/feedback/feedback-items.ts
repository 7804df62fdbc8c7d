import { and, eq } from 'drizzle-orm';
import { customerIdentities, feedbackItems } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';

export const FEEDBACK_CREATED = 'feedback.created';

export type NewFeedbackItem = typeof feedbackItems.$inferInsert;

/**
 * Inserts a feedback item and its `feedback.created` event in the caller's transaction, so themes
 * pick it up after commit. An item already known (same source and external id) is skipped: resolves
 * to undefined.
 */
export async function insertFeedbackItem(tx: Db, values: NewFeedbackItem) {
  const [item] = await tx.insert(feedbackItems).values(values).onConflictDoNothing().returning();
  if (!item) return undefined;
  await recordEvent(tx, {
    workspaceId: item.workspaceId,
    type: FEEDBACK_CREATED,
    payload: { item: { id: item.id, source: item.source, rating: item.rating, customerId: item.customerId } },
  });
  return item;
}

/** The customer an (already normalised) email address belongs to in the workspace, if any. */
export async function customerIdByEmail(tx: Db, workspaceId: string, email: string | null) {
  if (!email) return null;
  const [customer] = await tx
    .select({ id: customerIdentities.customerId })
    .from(customerIdentities)
    .where(
      and(
        eq(customerIdentities.workspaceId, workspaceId),
        eq(customerIdentities.kind, 'email'),
        eq(customerIdentities.value, email),
      ),
    );
  return customer?.id ?? null;
}
