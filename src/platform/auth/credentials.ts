import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { apiTokens, memberships, sessions, users } from '../../db/schema/index.ts';
import type { Clock } from '../clock.ts';
import { randomToken, sha256 } from '../crypto.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from './actor.ts';

export type Authenticated = Actor & { via: 'session' | 'token'; credentialHash: string };

export async function createSession(
  db: Db,
  input: { userId: string; workspaceId: string; ttlHours: number; clock: Clock },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(input.clock.now().getTime() + input.ttlHours * 3_600_000);
  await db.insert(sessions).values({
    tokenHash: sha256(token),
    userId: input.userId,
    workspaceId: input.workspaceId,
    createdAt: input.clock.now(),
    expiresAt,
  });
  // Expired sessions are dead weight; sweeping a few at each login keeps the table small.
  await db.delete(sessions).where(lt(sessions.expiresAt, input.clock.now()));
  return { token, expiresAt };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
}

export async function resolveSession(
  db: Db,
  token: string,
  clock: Clock,
): Promise<Authenticated | undefined> {
  const credentialHash = sha256(token);
  const [row] = await db
    .select({ userId: sessions.userId, workspaceId: sessions.workspaceId, role: memberships.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(
      memberships,
      and(eq(memberships.userId, sessions.userId), eq(memberships.workspaceId, sessions.workspaceId)),
    )
    .where(
      and(
        eq(sessions.tokenHash, credentialHash),
        gt(sessions.expiresAt, clock.now()),
        isNull(users.disabledAt),
      ),
    );
  return row ? { ...row, via: 'session', credentialHash } : undefined;
}

/** API tokens are shown once and stored only as a hash. */
export async function createApiToken(
  db: Db,
  input: { userId: string; workspaceId: string; name: string },
): Promise<{ id: string; token: string }> {
  const token = `rpt_${randomToken()}`;
  const [row] = await db
    .insert(apiTokens)
    .values({ ...input, tokenHash: sha256(token) })
    .returning({ id: apiTokens.id });
  return { id: row!.id, token };
}

export async function resolveApiToken(
  db: Db,
  token: string,
  clock: Clock,
): Promise<Authenticated | undefined> {
  const credentialHash = sha256(token);
  const [row] = await db
    .select({
      id: apiTokens.id,
      userId: apiTokens.userId,
      workspaceId: apiTokens.workspaceId,
      role: memberships.role,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .innerJoin(
      memberships,
      and(eq(memberships.userId, apiTokens.userId), eq(memberships.workspaceId, apiTokens.workspaceId)),
    )
    .where(
      and(eq(apiTokens.tokenHash, credentialHash), isNull(apiTokens.revokedAt), isNull(users.disabledAt)),
    );
  if (!row) return undefined;
  const now = clock.now();
  // Record use at most once a minute so a busy integration does not write on every request.
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiTokens.id, row.id),
        or(
          isNull(apiTokens.lastUsedAt),
          lt(apiTokens.lastUsedAt, sql`${now.toISOString()}::timestamptz - interval '1 minute'`),
        ),
      ),
    );
  return { userId: row.userId, workspaceId: row.workspaceId, role: row.role, via: 'token', credentialHash };
}
