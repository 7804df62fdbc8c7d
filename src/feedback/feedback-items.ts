import { feedbackItems } from '../db/schema/index.ts';
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
