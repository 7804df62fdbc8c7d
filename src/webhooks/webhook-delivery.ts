import { and, eq, sql } from 'drizzle-orm';
import { webhookAttempts, webhookDeliveries } from '../db/schema/index.ts';
import { hmacSha256 } from '../platform/crypto.ts';
import { queryRows } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import { postOutbound } from '../platform/net/outbound-request.ts';
import { WEBHOOK_CHANNEL } from './webhook-service.ts';

// 30 s doubling to a 6 h cap: twelve attempts cover about a day of a receiver being down.
export const MAX_DELIVERY_ATTEMPTS = 12;
const BASE_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 60 * 60 * 1000;
// A claim outlives the request by this much, so a crashed worker's deliveries are retried, not lost.
const LOCK_MARGIN_MS = 60_000;

/**
 * Wait before the next try after `attempt` failed tries: 30 s doubling each time, ±20 % jitter so
 * receivers coming back from an outage are not hit by every retry at once, capped at 6 hours.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BASE_RETRY_MS * 2 ** (attempt - 1), MAX_RETRY_MS);
  return Math.round(Math.min(base * (0.8 + 0.4 * random()), MAX_RETRY_MS));
}

/**
 * How receivers verify a delivery: compute hex HMAC-SHA256, keyed with the subscription's secret, of
 * `${x-rapport-timestamp}.${raw request body}` and compare it in constant time with the hex digest in
 * `x-rapport-signature: sha256=<hex>`. Rejecting timestamps more than a few minutes old stops replays.
 */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `sha256=${hmacSha256(secret, `${timestamp}.${body}`)}`;
}

type Claimed = {
  id: string;
  event_type: string;
  payload: Record<string, unknown>;
  attempts: number;
  url: string;
  secret_encrypted: string;
};

type Outcome = { statusCode: number | null; responseMs: number; error: string | null; ok: boolean };

export type WebhookDeliveryWorker = {
  start(): Promise<void>;
  /** Stops polling and waits for the requests in flight to finish and be recorded. */
  stop(): Promise<void>;
  /** Sends everything due now, a batch at a time in parallel; resolves to how many were attempted. */
  runDue(): Promise<number>;
  /** Runs at once instead of waiting for the next poll. */
  wake(): void;
};

function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `Timed out after ${timeoutMs} ms`;
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

/**
 * Sends queued webhook deliveries. Deliveries are claimed with FOR UPDATE SKIP LOCKED in one statement
 * that sets locked_until, so no transaction stays open during the HTTP call and several workers never
 * send the same delivery at once. Wakes on NOTIFY, polls as a fallback.
 */
export function createWebhookDeliveryWorker(
  deps: Pick<Deps, 'db' | 'database' | 'clock' | 'config' | 'secretBox' | 'logger'>,
  options: { batchSize?: number; pollMs?: number; random?: () => number } = {},
): WebhookDeliveryWorker {
  const { db, database, clock, secretBox, logger } = deps;
  const timeoutMs = deps.config.RAPPORT_WEBHOOK_TIMEOUT_MS;
  const batchSize = options.batchSize ?? 20;
  const pollMs = options.pollMs ?? 1000;
  const random = options.random ?? Math.random;
  let running = false;
  let wakeUp: (() => void) | undefined;
  let woken = false;
  let loop: Promise<void> | undefined;
  let unlisten: (() => Promise<void>) | undefined;

  async function claim(): Promise<Claimed[]> {
    const now = clock.now();
    const lockedUntil = new Date(now.getTime() + timeoutMs + LOCK_MARGIN_MS);
    return queryRows<Claimed>(
      db,
      sql`WITH due AS (
            SELECT d.id FROM webhook_deliveries d
            JOIN webhook_subscriptions s ON s.id = d.subscription_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= ${now.toISOString()}::timestamptz
              AND (d.locked_until IS NULL OR d.locked_until <= ${now.toISOString()}::timestamptz)
              AND s.active
            ORDER BY d.next_attempt_at
            LIMIT ${batchSize}
            FOR UPDATE OF d SKIP LOCKED
          )
          UPDATE webhook_deliveries d SET locked_until = ${lockedUntil.toISOString()}::timestamptz
          FROM due, webhook_subscriptions s
          WHERE d.id = due.id AND s.id = d.subscription_id
          RETURNING d.id, d.event_type, d.payload, d.attempts, s.url, s.secret_encrypted`,
    );
  }

  async function send(delivery: Claimed, sentAt: Date): Promise<Outcome> {
    let secret: string;
    try {
      secret = secretBox.open(delivery.secret_encrypted);
    } catch {
      return { ok: false, statusCode: null, responseMs: 0, error: 'Cannot decrypt the webhook secret' };
    }
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(sentAt.getTime() / 1000);
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const { status } = await postOutbound(delivery.url, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Rapport-Webhooks/1',
          'x-rapport-event': delivery.event_type,
          'x-rapport-delivery': delivery.id,
          'x-rapport-timestamp': String(timestamp),
          'x-rapport-signature': signDelivery(secret, timestamp, body),
        },
        body,
        timeoutMs,
        allowPrivate: deps.config.RAPPORT_ALLOW_PRIVATE_TARGETS,
      });
      const responseMs = elapsed();
      if (status >= 200 && status < 300) return { ok: true, statusCode: status, responseMs, error: null };
      // A redirect could move the signed payload to a host the admin never chose: never followed.
      const error =
        status >= 300 && status < 400 ? `Redirect (HTTP ${status}) not followed` : `HTTP ${status}`;
      return { ok: false, statusCode: status, responseMs, error };
    } catch (error) {
      return { ok: false, statusCode: null, responseMs: elapsed(), error: describeError(error, timeoutMs) };
    }
  }

  async function record(delivery: Claimed, sentAt: Date, outcome: Outcome) {
    const attempt = delivery.attempts + 1;
    const now = clock.now();
    const giveUp = !outcome.ok && attempt >= MAX_DELIVERY_ATTEMPTS;
    const status = outcome.ok ? 'succeeded' : giveUp ? 'failed' : 'pending';
    await db.transaction(async (tx) => {
      // The attempts guard drops a stale result if the delivery was reset or deleted meanwhile.
      const updated = await tx
        .update(webhookDeliveries)
        .set({
          status,
          attempts: attempt,
          lockedUntil: null,
          lastStatusCode: outcome.statusCode,
          lastResponseMs: outcome.responseMs,
          lastError: outcome.error,
          ...(status === 'pending'
            ? { nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempt, random)) }
            : { completedAt: now }),
        })
        .where(
          and(
            eq(webhookDeliveries.id, delivery.id),
            eq(webhookDeliveries.status, 'pending'),
            eq(webhookDeliveries.attempts, delivery.attempts),
          ),
        )
        .returning({ workspaceId: webhookDeliveries.workspaceId });
      const row = updated[0];
      if (!row) return;
      await tx.insert(webhookAttempts).values({
        workspaceId: row.workspaceId,
        deliveryId: delivery.id,
        attemptedAt: sentAt,
        statusCode: outcome.statusCode,
        responseMs: outcome.responseMs,
        error: outcome.error,
      });
    });
    if (giveUp) logger.warn({ deliveryId: delivery.id, error: outcome.error }, 'webhook delivery gave up');
  }

  async function deliver(delivery: Claimed) {
    const sentAt = clock.now();
    const outcome = await send(delivery, sentAt);
    try {
      await record(delivery, sentAt, outcome);
    } catch (error) {
      // The claim expires and the delivery is sent again: at least once, never lost.
      logger.error({ err: error, deliveryId: delivery.id }, 'could not record a webhook attempt');
    }
  }

  async function runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await claim();
      await Promise.all(batch.map(deliver));
      total += batch.length;
      if (batch.length < batchSize) return total;
    }
  }

  async function run() {
    while (running) {
      woken = false;
      try {
        await runDue();
      } catch (error) {
        logger.error({ err: error }, 'webhook delivery failed; retrying');
      }
      if (!running) break;
      if (woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  }

  function wake() {
    woken = true;
    wakeUp?.();
  }

  return {
    async start() {
      if (running) return;
      running = true;
      unlisten = await database.listen(WEBHOOK_CHANNEL, wake);
      loop = run();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
      await unlisten?.();
      unlisten = undefined;
    },
    runDue,
    wake,
  };
}
