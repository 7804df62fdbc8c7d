import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/database.ts';
import type { OutboxEvent } from '../platform/outbox/outbox.ts';
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
  handle: (tx, event) => queueDeliveries(tx, [event]),
  handleBatch: queueDeliveries,
};

const payloadOf = (event: OutboxEvent): WebhookPayload => ({
  id: event.id,
  type: event.type,
  workspaceId: event.workspaceId,
  createdAt: event.createdAt.toISOString(),
  data: event.payload,
});

/** One statement for any number of events: queues their deliveries and wakes the delivery worker. */
async function queueDeliveries(tx: Db, events: OutboxEvent[]) {
  const batch = JSON.stringify(events.map(payloadOf));
  await tx.execute(
    sql`WITH event AS (
          SELECT (e->>'id')::bigint AS id, e->>'type' AS type, (e->>'workspaceId')::uuid AS workspace_id,
            e AS payload, position
          FROM jsonb_array_elements(${batch}::jsonb) WITH ORDINALITY AS batch (e, position)
        ), queued AS (
          INSERT INTO webhook_deliveries (workspace_id, subscription_id, event_id, event_type, payload)
          SELECT s.workspace_id, s.id, event.id, event.type, event.payload
          FROM event JOIN webhook_subscriptions s ON s.workspace_id = event.workspace_id
          WHERE s.active AND (event.type = ANY(s.events) OR '*' = ANY(s.events))
          ORDER BY event.position, s.id
          ON CONFLICT (subscription_id, event_id) DO NOTHING
          RETURNING 1
        )
        SELECT pg_notify(${WEBHOOK_CHANNEL}, '') FROM (SELECT count(*) AS n FROM queued) AS q WHERE n > 0`,
  );
}
