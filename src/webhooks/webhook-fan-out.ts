import { sql } from 'drizzle-orm';
import { notify, queryRows } from '../platform/db/database.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import { WEBHOOK_CHANNEL } from './webhook-service.ts';

/** The body every receiver gets: the outbox event as it was committed. */
export type WebhookPayload = {
  id: number;
  type: string;
  workspaceId: string;
  createdAt: string;
  data: Record<string, unknown>;
};

/**
 * Queues one delivery per active subscription of the event's workspace that asks for its type. Runs in
 * the relay's transaction, so the deliveries exist exactly when the event counts as handled; the unique
 * (subscription, event) key makes a replayed event queue nothing twice. Sending is the delivery worker's job.
 */
export const webhookFanOut: OutboxHandler = {
  name: 'webhooks',
  handles: () => true,
  async handle(tx, event) {
    const payload: WebhookPayload = {
      id: event.id,
      type: event.type,
      workspaceId: event.workspaceId,
      createdAt: event.createdAt.toISOString(),
      data: event.payload,
    };
    const queued = await queryRows<{ id: string }>(
      tx,
      sql`INSERT INTO webhook_deliveries (workspace_id, subscription_id, event_id, event_type, payload)
          SELECT workspace_id, id, ${event.id}, ${event.type}, ${JSON.stringify(payload)}::jsonb
          FROM webhook_subscriptions
          WHERE workspace_id = ${event.workspaceId} AND active
            AND (${event.type} = ANY(events) OR '*' = ANY(events))
          ON CONFLICT (subscription_id, event_id) DO NOTHING
          RETURNING id`,
    );
    if (queued.length > 0) await notify(tx, WEBHOOK_CHANNEL, '');
  },
};
