import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Config } from '../platform/config.ts';
import { randomToken, type SecretBox } from '../platform/crypto.ts';
import { type Db, notify, queryRows } from '../platform/db/database.ts';
import { forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { isPrivateAddress } from '../platform/net/private-addresses.ts';

/** The domain events a subscription may ask for; '*' asks for every event, including ones added later. */
export const webhookEventTypes = [
  'ticket.created',
  'ticket.updated',
  'ticket.merged',
  'ticket.linked',
  'ticket.unlinked',
  'message.created',
  'customer.created',
  'customer.updated',
  'customer.merged',
  'email.delivery_updated',
] as const;

/** Delivery workers LISTEN here; a NOTIFY sent inside a transaction wakes them at commit. */
export const WEBHOOK_CHANNEL = 'rapport_webhooks';

export type WebhookSubscription = typeof webhookSubscriptions.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
export type WebhookServiceDeps = {
  db: Db;
  secretBox: SecretBox;
  config: Pick<Config, 'RAPPORT_ALLOW_PRIVATE_TARGETS'>;
};

export type CreateWebhookInput = {
  url: string;
  events: string[];
  description?: string | undefined;
  secret?: string | undefined;
  active?: boolean | undefined;
};
export type WebhookPatch = Partial<CreateWebhookInput>;

function requireAdmin(actor: Actor) {
  if (actor.role !== 'admin') throw forbidden('Only admins manage webhooks');
}

function checkUrl(value: string, allowPrivate: boolean): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw invalid('The webhook URL is not a URL', [{ path: 'url', message: 'not a URL' }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid('The webhook URL must use http or https', [{ path: 'url', message: 'must be http(s)' }]);
  if (url.username || url.password)
    throw invalid('Put credentials in the signature, not the URL', [
      { path: 'url', message: 'must not contain credentials' },
    ]);
  // Names are checked again when each delivery connects (see postOutbound); literal addresses fail early.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (isPrivateAddress(literal) || literal === 'localhost'))
    throw invalid('The webhook URL points to a private or loopback address', [
      { path: 'url', message: 'private addresses are not allowed' },
    ]);
  return url.toString();
}

function checkEvents(events: string[]): string[] {
  const known = new Set<string>([...webhookEventTypes, '*']);
  const unknown = events.filter((event) => !known.has(event));
  if (unknown.length)
    throw invalid(
      'Unknown event types',
      unknown.map((event) => ({ path: 'events', message: `${event} is not an event type` })),
    );
  const unique = [...new Set(events)];
  if (unique.length === 0)
    throw invalid('A webhook needs at least one event', [{ path: 'events', message: 'is empty' }]);
  return unique.includes('*') ? ['*'] : unique.sort();
}

function checkSecret(secret: string): string {
  if (secret.length < 16 || secret.length > 256)
    throw invalid('The secret must be 16 to 256 characters', [{ path: 'secret', message: 'wrong length' }]);
  return secret;
}

/**
 * Subscribes a URL to the workspace's events. The secret is generated unless given and is returned only
 * here: it is stored sealed and never shown again. Admins only.
 */
export async function createWebhook(
  deps: WebhookServiceDeps,
  actor: Actor,
  input: CreateWebhookInput,
): Promise<{ webhook: WebhookSubscription; secret: string }> {
  requireAdmin(actor);
  const secret = input.secret === undefined ? `whsec_${randomToken(32)}` : checkSecret(input.secret);
  const [webhook] = await deps.db
    .insert(webhookSubscriptions)
    .values({
      workspaceId: actor.workspaceId,
      url: checkUrl(input.url, deps.config.RAPPORT_ALLOW_PRIVATE_TARGETS),
      events: checkEvents(input.events),
      description: input.description?.trim() ?? '',
      secretEncrypted: deps.secretBox.seal(secret),
      active: input.active ?? true,
    })
    .returning();
  return { webhook: webhook!, secret };
}

export async function listWebhooks(db: Db, actor: Actor): Promise<WebhookSubscription[]> {
  requireAdmin(actor);
  return db
    .select()
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.workspaceId, actor.workspaceId))
    .orderBy(asc(webhookSubscriptions.createdAt), asc(webhookSubscriptions.id));
}

/** Throws not_found for another workspace's webhook. */
export async function getWebhook(db: Db, actor: Actor, id: string): Promise<WebhookSubscription> {
  requireAdmin(actor);
  const [webhook] = await db
    .select()
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.workspaceId, actor.workspaceId)));
  if (!webhook) throw notFound('Webhook');
  return webhook;
}

/** Changes the URL, events, description, secret or pausing; pending deliveries wait while it is paused. */
export async function updateWebhook(
  deps: WebhookServiceDeps,
  actor: Actor,
  id: string,
  patch: WebhookPatch,
): Promise<WebhookSubscription> {
  requireAdmin(actor);
  if (Object.values(patch).every((value) => value === undefined)) throw invalid('Nothing to change');
  const [webhook] = await deps.db
    .update(webhookSubscriptions)
    .set({
      ...(patch.url !== undefined && { url: checkUrl(patch.url, deps.config.RAPPORT_ALLOW_PRIVATE_TARGETS) }),
      ...(patch.events !== undefined && { events: checkEvents(patch.events) }),
      ...(patch.description !== undefined && { description: patch.description.trim() }),
      ...(patch.secret !== undefined && { secretEncrypted: deps.secretBox.seal(checkSecret(patch.secret)) }),
      ...(patch.active !== undefined && { active: patch.active }),
    })
    .where(and(eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.workspaceId, actor.workspaceId)))
    .returning();
  if (!webhook) throw notFound('Webhook');
  if (patch.active) await notify(deps.db, WEBHOOK_CHANNEL, '');
  return webhook;
}

/** Deletes the subscription with its deliveries and their attempt log. */
export async function deleteWebhook(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  const deleted = await db
    .delete(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.workspaceId, actor.workspaceId)))
    .returning({ id: webhookSubscriptions.id });
  if (deleted.length === 0) throw notFound('Webhook');
}

/** The subscription's most recent deliveries, newest first. */
export async function listDeliveries(
  db: Db,
  actor: Actor,
  webhookId: string,
  options: { limit: number; status?: WebhookDelivery['status'] | undefined },
): Promise<WebhookDelivery[]> {
  await getWebhook(db, actor, webhookId);
  return db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.subscriptionId, webhookId),
        eq(webhookDeliveries.workspaceId, actor.workspaceId),
        options.status && eq(webhookDeliveries.status, options.status),
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(options.limit);
}

async function findDelivery(db: Db, actor: Actor, webhookId: string, deliveryId: string) {
  requireAdmin(actor);
  const [delivery] = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        eq(webhookDeliveries.subscriptionId, webhookId),
        eq(webhookDeliveries.workspaceId, actor.workspaceId),
      ),
    );
  if (!delivery) throw notFound('Delivery');
  return delivery;
}

/** One delivery with its payload and every attempt, oldest first. */
export async function getDelivery(
  db: Db,
  actor: Actor,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDelivery & { history: WebhookAttempt[] }> {
  const delivery = await findDelivery(db, actor, webhookId, deliveryId);
  const history = await db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookAttempts.attemptedAt), asc(webhookAttempts.id));
  return { ...delivery, history };
}

/**
 * Sends a delivery again now with a fresh retry budget; its attempt log is kept. Throws invalid_state
 * while a worker is sending it.
 */
export async function redeliver(
  db: Db,
  actor: Actor,
  webhookId: string,
  deliveryId: string,
  now: Date,
): Promise<WebhookDelivery> {
  await findDelivery(db, actor, webhookId, deliveryId);
  const at = now.toISOString();
  const [delivery] = await db
    .update(webhookDeliveries)
    .set({
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lockedUntil: null,
      completedAt: null,
    })
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        sql`(${webhookDeliveries.lockedUntil} IS NULL OR ${webhookDeliveries.lockedUntil} <= ${at}::timestamptz)`,
      ),
    )
    .returning();
  if (!delivery) throw invalidState('This delivery is being sent right now; try again in a moment');
  await notify(db, WEBHOOK_CHANNEL, '');
  return delivery;
}

/**
 * Queues one delivery of an already recorded outbox event to one subscription of the workspace, whatever
 * events it asked for (a trigger's "call this webhook" action). In the caller's transaction; false when
 * the subscription is gone or switched off. The fan-out's (subscription, event) key keeps it single.
 */
export async function queueWebhookCall(
  tx: Db,
  input: {
    workspaceId: string;
    subscriptionId: string;
    event: { id: number; type: string; payload: unknown };
  },
): Promise<boolean> {
  const queued = await queryRows<{ n: unknown }>(
    tx,
    sql`INSERT INTO webhook_deliveries (workspace_id, subscription_id, event_id, event_type, payload)
        SELECT s.workspace_id, s.id, ${input.event.id}, ${input.event.type}, ${JSON.stringify(input.event.payload)}::jsonb
        FROM webhook_subscriptions s
        WHERE s.id = ${input.subscriptionId} AND s.workspace_id = ${input.workspaceId} AND s.active
        ON CONFLICT (subscription_id, event_id) DO NOTHING
        RETURNING pg_notify(${WEBHOOK_CHANNEL}, '') AS n`,
  );
  return queued.length > 0;
}
