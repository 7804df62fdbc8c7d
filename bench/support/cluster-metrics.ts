/** Purity: each cluster counts its most common true label; the share of items so counted. */
export function purity(truth: readonly string[], clusters: readonly number[]): number {
  const byCluster = new Map<number, Map<string, number>>();
  clusters.forEach((cluster, i) => {
    const counts = byCluster.get(cluster) ?? new Map<string, number>();
    counts.set(truth[i]!, (counts.get(truth[i]!) ?? 0) + 1);
    byCluster.set(cluster, counts);
  });
  let kept = 0;
  for (const counts of byCluster.values()) kept += Math.max(...counts.values());
  return truth.length ? kept / truth.length : 0;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/** Adjusted Rand index (Hubert and Arabie): 1 for the same partition, about 0 for a random one. */
export function adjustedRandIndex(truth: readonly string[], clusters: readonly number[]): number {
  const table = new Map<string, number>();
  const rows = new Map<string, number>();
  const columns = new Map<number, number>();
  clusters.forEach((cluster, i) => {
    const key = `${truth[i]}\u0000${cluster}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(truth[i]!, (rows.get(truth[i]!) ?? 0) + 1);
    columns.set(cluster, (columns.get(cluster) ?? 0) + 1);
  });
  let index = 0;
  for (const count of table.values()) index += pairs(count);
  let a = 0;
  for (const count of rows.values()) a += pairs(count);
  let b = 0;
  for (const count of columns.values()) b += pairs(count);
  const expected = (a * b) / pairs(truth.length);
  const max = (a + b) / 2;
  return max === expected ? 0 : (index - expected) / (max - expected);
}
