import { eq, sql } from 'drizzle-orm';
import { loginThrottle } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';

export type LockoutPolicy = { maxFailures: number; lockMinutes: number };

/** The same answer whether or not an account exists behind the email: lockouts reveal nothing. */
const locked = () =>
  new DomainError('rate_limited', 'Too many failed sign-ins for this email; try again in a few minutes');

/** Throws rate_limited while the email is locked out. */
export async function assertNotLockedOut(db: Db, email: string, now: Date): Promise<void> {
  const [row] = await db
    .select({ lockedUntil: loginThrottle.lockedUntil })
    .from(loginThrottle)
    .where(eq(loginThrottle.email, email));
  if (row?.lockedUntil && row.lockedUntil > now) throw locked();
}

/**
 * Counts a failed sign-in. Failures further apart than the lock time start the count again; reaching
 * `maxFailures` locks the email for `lockMinutes`. One statement, so concurrent guesses all count.
 */
export async function recordLoginFailure(db: Db, email: string, now: Date, policy: LockoutPolicy) {
  const windowStart = new Date(now.getTime() - policy.lockMinutes * 60_000);
  const lockedUntil = new Date(now.getTime() + policy.lockMinutes * 60_000);
  const failures = sql`CASE WHEN ${loginThrottle.lastFailureAt} < ${windowStart.toISOString()}::timestamptz
    THEN 1 ELSE ${loginThrottle.failures} + 1 END`;
  await db
    .insert(loginThrottle)
    .values({
      email,
      failures: 1,
      lastFailureAt: now,
      lockedUntil: policy.maxFailures <= 1 ? lockedUntil : null,
    })
    .onConflictDoUpdate({
      target: loginThrottle.email,
      set: {
        failures,
        lastFailureAt: now,
        lockedUntil: sql`CASE WHEN ${failures} >= ${policy.maxFailures}
          THEN ${lockedUntil.toISOString()}::timestamptz ELSE ${loginThrottle.lockedUntil} END`,
      },
    });
}

export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.email, email));
}
