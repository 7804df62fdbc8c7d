import type { Role } from './actor.ts';

/** What an API token resolves to, kept for a few seconds so a busy integration does not query per request. */
export type CachedToken = {
  tokenId: string;
  userId: string;
  workspaceId: string;
  role: Role;
  lastUsedAt: Date | null;
  cachedUntil: number;
};

// Short on purpose: a token revoked or a user disabled through another node stops working within this
// time; on the node that made the change it stops at once (forgetCachedTokens).
export const TOKEN_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

// One cache per database handle: tests, and a process serving several databases, never share entries.
let caches = new WeakMap<object, Map<string, CachedToken>>();
// Bumped by every forget, so a lookup that began before a revocation cannot store what it read.
let generation = 0;

export const tokenCacheGeneration = () => generation;

export function cachedToken(db: object, hash: string, now: number): CachedToken | undefined {
  const entries = caches.get(db);
  const entry = entries?.get(hash);
  if (entry && entry.cachedUntil > now) return entry;
  if (entry) entries?.delete(hash);
  return undefined;
}

export function cacheToken(db: object, hash: string, entry: CachedToken, lookupGeneration: number) {
  if (lookupGeneration !== generation) return;
  const entries = caches.get(db) ?? new Map<string, CachedToken>();
  caches.set(db, entries);
  // Unbounded growth would let someone fill memory with made-up tokens; only valid ones are cached,
  // but a crude bound costs nothing.
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(hash, entry);
}

/** Call after a change that may refuse a token: revocation, a disabled user, a changed role. */
export function forgetCachedTokens() {
  generation++;
  caches = new WeakMap();
}
