import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { messages, messagingMessages, tickets } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';

type DeliveryRow = typeof messagingMessages.$inferSelect;

export const messagingDeliverySchema = z.object({
  messageId: z.string(),
  status: z
    .enum(['pending', 'sent', 'delivered', 'read', 'failed'])
    .describe('pending until the platform took it (retried with backoff), then as the platform reports it'),
  attempts: z.number(),
  lastError: z.string().nullable(),
  externalId: z.string().nullable().describe("The platform's id of the reply (of its first part)"),
  updatedAt: z.string(),
});

export const presentMessagingDelivery = (row: DeliveryRow): z.infer<typeof messagingDeliverySchema> => ({
  messageId: row.messageId,
  status: row.status as z.infer<typeof messagingDeliverySchema>['status'],
  attempts: row.attempts,
  lastError: row.lastError,
  externalId: row.externalId,
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * Where each public reply of a messaging ticket stands on its platform (WhatsApp, Telegram, a bridge),
 * oldest first. Throws not_found for a ticket of another workspace.
 */
export async function listMessagingDeliveries(
  db: Db,
  actor: Actor,
  ticketId: string,
): Promise<DeliveryRow[]> {
  const [ticket] = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.id, ticketId), eq(tickets.workspaceId, actor.workspaceId)));
  if (!ticket) throw notFound('Ticket');
  return db
    .select({ delivery: messagingMessages })
    .from(messagingMessages)
    .innerJoin(messages, eq(messages.id, messagingMessages.messageId))
    .where(
      and(
        eq(messages.ticketId, ticketId),
        eq(messagingMessages.workspaceId, actor.workspaceId),
        eq(messagingMessages.direction, 'outbound'),
      ),
    )
    .orderBy(asc(messagingMessages.createdAt), asc(messagingMessages.id))
    .then((rows) => rows.map((row) => row.delivery));
}
