import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from './db/database.ts';

/** How long the platform's bookkeeping rows are worth keeping. */
export const retention = {
  idempotencyKeysHours: 24,
  processedOutboxDays: 7,
};

/** Deletes expired sessions, stale sign-in failures, old idempotency keys and relayed outbox events. */
export async function sweep(db: Db): Promise<void> {
  await Promise.all([
    db.execute(sql`DELETE FROM sessions WHERE expires_at < now()`),
    db.execute(
      sql`DELETE FROM login_throttle WHERE last_failure_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now())`,
    ),
    db.execute(
      sql`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => ${retention.idempotencyKeysHours})`,
    ),
    db.execute(
      sql`DELETE FROM outbox WHERE processed_at IS NOT NULL AND processed_at < now() - make_interval(days => ${retention.processedOutboxDays})`,
    ),
  ]);
}

/** Sweeps once an hour; every worker node may do it, the deletes are idempotent. */
export function startMaintenance(
  db: Db,
  logger: FastifyBaseLogger,
  everyMs = 3_600_000,
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = sweep(db).catch((error: unknown) => logger.error({ err: error }, 'maintenance sweep failed'));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
