import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { apiTokens, memberships, sessions, users } from '../../db/schema/index.ts';
import type { Clock } from '../clock.ts';
import { randomToken, sha256 } from '../crypto.ts';
import type { Db } from '../db/database.ts';
import { preparedStatement } from '../db/prepared.ts';
import type { Actor, Role } from './actor.ts';
import {
  type CachedToken,
  cachedToken,
  cacheToken,
  TOKEN_CACHE_MS,
  tokenCacheGeneration,
} from './token-cache.ts';

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

// Every API request runs this lookup: prepared once per connection rather than planned each time.
const apiTokenLookup = preparedStatement(sql`
  SELECT t.id, t.user_id, t.workspace_id, m.role, t.last_used_at
  FROM api_tokens t
  JOIN users u ON u.id = t.user_id
  JOIN memberships m ON m.user_id = t.user_id AND m.workspace_id = t.workspace_id
  WHERE t.token_hash = ${sql.placeholder('hash')} AND t.revoked_at IS NULL AND u.disabled_at IS NULL`);

type TokenRow = {
  id: string;
  user_id: string;
  workspace_id: string;
  role: Role;
  last_used_at: string | null;
};

export async function resolveApiToken(
  db: Db,
  token: string,
  clock: Clock,
  // fresh: skip the cache, for the periodic re-check of a long-lived stream, which must see revocation.
  options: { fresh?: boolean } = {},
): Promise<Authenticated | undefined> {
  const credentialHash = sha256(token);
  const now = clock.now();
  const cached = options.fresh ? undefined : cachedToken(db, credentialHash, now.getTime());
  const found = cached ?? (await lookUpApiToken(db, credentialHash, now));
  if (!found) return undefined;
  // Record use at most once a minute so a busy integration does not write on every request; the row
  // read says whether this minute is already recorded, so most requests send no statement at all.
  const recorded = found.lastUsedAt && now.getTime() - found.lastUsedAt.getTime() < 60_000;
  if (!recorded) {
    found.lastUsedAt = now;
    await db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(apiTokens.id, found.tokenId),
          or(
            isNull(apiTokens.lastUsedAt),
            lt(apiTokens.lastUsedAt, sql`${now.toISOString()}::timestamptz - interval '1 minute'`),
          ),
        ),
      );
  }
  return {
    userId: found.userId,
    workspaceId: found.workspaceId,
    role: found.role,
    via: 'token',
    credentialHash,
  };
}

async function lookUpApiToken(db: Db, hash: string, now: Date): Promise<CachedToken | undefined> {
  const generation = tokenCacheGeneration();
  const [row] = await apiTokenLookup.rows<TokenRow>(db, { hash });
  if (!row) return undefined;
  const entry: CachedToken = {
    tokenId: row.id,
    userId: row.user_id,
    workspaceId: row.workspace_id,
    role: row.role,
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
    cachedUntil: now.getTime() + TOKEN_CACHE_MS,
  };
  cacheToken(db, hash, entry, generation);
  return entry;
}
