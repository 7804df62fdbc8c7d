// Corpus statistics and synonym groups change rarely but cost a scan to compute, so each process keeps
// them for a short while. Writes in this process drop a workspace's entries at once; other processes
// see the change within TTL_MS (a slightly stale average length moves scores, never the result set).
const TTL_MS = 30_000;
const MAX_ENTRIES = 5_000;

const entries = new Map<string, { at: number; value: Promise<unknown> }>();

export async function cached<T>(workspaceId: string, key: string, load: () => Promise<T>): Promise<T> {
  const full = `${workspaceId}:${key}`;
  const now = Date.now();
  const hit = entries.get(full);
  if (hit && now - hit.at < TTL_MS) return hit.value as Promise<T>;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  const value = load();
  entries.set(full, { at: now, value });
  value.catch(() => entries.delete(full));
  return value;
}

/** Drops what is kept for a workspace; every knowledge-base write calls it. */
export function forgetWorkspace(workspaceId: string): void {
  for (const key of entries.keys()) if (key.startsWith(`${workspaceId}:`)) entries.delete(key);
}
