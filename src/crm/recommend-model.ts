/** One line of purchase history: what the model learns from. */
export type Purchase = { customerId: string; sku: string; name: string; at: Date };

/**
 * One item to offer. `because` is the customer's own purchase that made it most similar; null when it is
 * offered mostly for being bought by many customers lately (`recentBuyers` within `trendDays`).
 */
export type Recommendation = {
  sku: string;
  name: string;
  score: number;
  because: { sku: string; name: string } | null;
  recentBuyers: number;
};

export type ModelOptions = {
  /** Most similar items kept per item. */
  neighbours?: number;
  /** How fast a customer's own older purchases stop counting towards what they are offered. */
  halfLifeDays?: number;
  /** How fast two items bought by one customer stop counting as similar, by the older purchase's age. */
  pairHalfLifeDays?: number;
  /** 0.5 is cosine; above it favours rarer items, below it popular ones. */
  damping?: number;
  /** Weight of recent popularity (buyers within `trendDays`) beside similarity, both scaled to 1. */
  trend?: number;
  trendDays?: number;
};

type Sparse = Map<number, number>;
const DAY = 86_400_000;
const decay = (ageMs: number, halfLifeDays: number | undefined) =>
  halfLifeDays ? 0.5 ** (ageMs / (halfLifeDays * DAY)) : 1;

/**
 * Item-to-item collaborative filtering over who bought what: two items are similar when the same
 * customers bought both, normalised by both items' buyers so best-sellers do not drown everything. Each
 * customer's pairs weigh less the more items they bought (a wholesaler buying 800 items says little about
 * any pair) and the longer ago the pair was bought (assortments and seasons change). A customer's
 * candidates are scored by summed similarity to everything they bought, recent purchases weighing more,
 * blended with how many customers bought the item lately. Ages are measured from the newest purchase.
 */
export class CoPurchaseModel {
  private readonly index = new Map<string, number>();
  private readonly skus: string[] = [];
  private readonly names: string[] = [];
  private readonly buyers: number[] = [];
  private readonly recentBuyers: number[] = [];
  private readonly similar: Sparse[] = [];
  /** customer → item → when they last bought it (ms). */
  private readonly history = new Map<string, Map<number, number>>();
  private latest = 0;
  private popular: number[] = [];

  constructor(
    purchases: Iterable<Purchase>,
    private readonly options: ModelOptions = {},
  ) {
    for (const p of purchases) this.add(p);
    const since = this.latest - (options.trendDays ?? 14) * DAY;
    for (const bought of this.history.values())
      for (const [item, at] of bought) if (at >= since) this.recentBuyers[item]!++;
    this.learnSimilarity();
    this.popular = this.skus.map((_, i) => i).sort((x, y) => this.buyers[y]! - this.buyers[x]!);
  }

  private add(p: Purchase) {
    const at = p.at.getTime();
    this.latest = Math.max(this.latest, at);
    let item = this.index.get(p.sku);
    if (item === undefined) {
      item = this.skus.length;
      this.index.set(p.sku, item);
      this.skus.push(p.sku);
      this.names.push(p.name);
      this.buyers.push(0);
      this.recentBuyers.push(0);
    } else if (p.name) this.names[item] = p.name;
    let bought = this.history.get(p.customerId);
    if (!bought) {
      bought = new Map();
      this.history.set(p.customerId, bought);
    }
    const seen = bought.get(item);
    if (seen === undefined) this.buyers[item]!++;
    if (seen === undefined || seen < at) bought.set(item, at);
  }

  private learnSimilarity() {
    const co: Sparse[] = this.skus.map(() => new Map());
    for (const bought of this.history.values()) {
      const items = [...bought.keys()];
      const weight = 1 / Math.sqrt(items.length);
      // A pair is as old as its older purchase; decay is monotonic, so that is the smaller of the two.
      const fresh = [...bought.values()].map((at) => decay(this.latest - at, this.options.pairHalfLifeDays));
      for (let a = 0; a < items.length; a++) {
        const row = co[items[a]!]!;
        for (let b = 0; b < items.length; b++) {
          if (a === b) continue;
          const pair = weight * Math.min(fresh[a]!, fresh[b]!);
          row.set(items[b]!, (row.get(items[b]!) ?? 0) + pair);
        }
      }
    }
    const keep = this.options.neighbours ?? 100;
    const damping = this.options.damping ?? 0.5;
    for (const [item, row] of co.entries()) {
      const scored = [...row].map(([other, value]): [number, number] => [
        other,
        value / (this.buyers[item]! ** (1 - damping) * this.buyers[other]! ** damping),
      ]);
      scored.sort((x, y) => y[1] - x[1]);
      this.similar[item] = new Map(scored.slice(0, keep));
    }
  }

  get itemCount() {
    return this.skus.length;
  }

  /** What the customer bought, as SKUs; empty for a customer the model has not seen. */
  boughtBy(customerId: string): string[] {
    return [...(this.history.get(customerId)?.keys() ?? [])].map((i) => this.skus[i]!);
  }

  /** Top `k` items for a customer that they have not bought yet, each with the reason; none for a stranger. */
  recommend(customerId: string, k: number): Recommendation[] {
    const bought = this.history.get(customerId);
    if (!bought) return [];
    const scores = new Map<number, { similarity: number; best: number; bestScore: number }>();
    for (const [item, at] of bought) {
      const weight = decay(this.latest - at, this.options.halfLifeDays);
      for (const [other, similarity] of this.similar[item] ?? []) {
        if (bought.has(other)) continue;
        const part = similarity * weight;
        const entry = scores.get(other) ?? { similarity: 0, best: item, bestScore: 0 };
        entry.similarity += part;
        if (part > entry.bestScore) {
          entry.best = item;
          entry.bestScore = part;
        }
        scores.set(other, entry);
      }
    }
    const trend = this.options.trend ?? 0;
    if (trend)
      this.recentBuyers.forEach((count, item) => {
        if (count && !bought.has(item) && !scores.has(item))
          scores.set(item, { similarity: 0, best: item, bestScore: 0 });
      });
    const topSimilarity = Math.max(1e-12, ...[...scores.values()].map((e) => e.similarity));
    const topRecent = Math.max(1, ...this.recentBuyers);
    return [...scores]
      .map(([item, entry]) => {
        const similar = entry.similarity / topSimilarity;
        const lately = (trend * this.recentBuyers[item]!) / topRecent;
        // The reason names whichever part weighs more in the score.
        const because =
          similar >= lately ? { sku: this.skus[entry.best]!, name: this.names[entry.best]! } : null;
        return { item, score: similar + lately, because };
      })
      .sort((x, y) => y.score - x.score || this.buyers[y.item]! - this.buyers[x.item]!)
      .slice(0, k)
      .map(({ item, score, because }) => ({
        sku: this.skus[item]!,
        name: this.names[item]!,
        score: Math.round(score * 1000) / 1000,
        because,
        recentBuyers: this.recentBuyers[item]!,
      }));
  }

  /** The baseline: the items most customers bought, minus what this customer has. */
  mostPopular(customerId: string, k: number): string[] {
    const bought = this.history.get(customerId) ?? new Map<number, number>();
    const out: string[] = [];
    for (const item of this.popular) {
      if (out.length === k) break;
      if (!bought.has(item)) out.push(this.skus[item]!);
    }
    return out;
  }
}
