/** One line of purchase history: what the model learns from. */
export type Purchase = { customerId: string; sku: string; name: string; at: Date };

export type Recommendation = {
  sku: string;
  name: string;
  score: number;
  because: { sku: string; name: string };
};

type Sparse = Map<number, number>;
const DAY = 86_400_000;

/**
 * Item-to-item collaborative filtering over who bought what: two items are similar when the same
 * customers bought both, cosine-normalised so best-sellers do not drown everything, and each customer's
 * pairs weighted down by how many items they bought (a wholesaler buying 800 items says little about any
 * pair). A customer's candidates are scored by summed similarity to what they bought; the reason names
 * the bought item that contributed most.
 */
export class CoPurchaseModel {
  private readonly index = new Map<string, number>();
  private readonly skus: string[] = [];
  private readonly names: string[] = [];
  private readonly buyers: number[] = [];
  private readonly similar: Sparse[] = [];
  /** customer → item → when they last bought it (ms). */
  private readonly history = new Map<string, Map<number, number>>();
  private readonly recentBuyers: number[] = [];
  private latest = 0;
  private popular: number[] = [];
  private readonly tokens: string[][] = [];
  private readonly idf = new Map<string, number>();

  constructor(
    purchases: Iterable<Purchase>,
    private readonly options: {
      neighbours?: number;
      halfLifeDays?: number;
      trend?: number;
      trendDays?: number;
      damping?: number;
      content?: number;
    } = {},
  ) {
    const all: Purchase[] = [];
    for (const p of purchases) {
      all.push(p);
      this.latest = Math.max(this.latest, p.at.getTime());
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
      if (seen === undefined || seen < p.at.getTime()) bought.set(item, p.at.getTime());
    }
    const since = this.latest - (options.trendDays ?? 30) * DAY;
    for (const bought of this.history.values())
      for (const [item, at] of bought) if (at >= since) this.recentBuyers[item]!++;
    const co: Sparse[] = this.skus.map(() => new Map());
    for (const bought of this.history.values()) {
      const items = [...bought.keys()];
      const weight = 1 / Math.log2(2 + items.length);
      for (let a = 0; a < items.length; a++) {
        const row = co[items[a]!]!;
        for (let b = 0; b < items.length; b++)
          if (a !== b) row.set(items[b]!, (row.get(items[b]!) ?? 0) + weight);
      }
    }
    const keep = options.neighbours ?? 100;
    const damping = options.damping ?? 0.5;
    for (const [item, row] of co.entries()) {
      const scored = [...row].map(([other, value]): [number, number] => [
        other,
        value / (this.buyers[item]! ** (1 - damping) * this.buyers[other]! ** damping),
      ]);
      scored.sort((x, y) => y[1] - x[1]);
      this.similar[item] = new Map(scored.slice(0, keep));
    }
    for (const name of this.names) this.tokens.push(tokensOf(name));
    for (const words of this.tokens)
      for (const word of words) this.idf.set(word, (this.idf.get(word) ?? 0) + 1);
    for (const [word, count] of this.idf) this.idf.set(word, Math.log(this.skus.length / count));
    this.popular = this.skus.map((_, i) => i).sort((x, y) => this.buyers[y]! - this.buyers[x]!);
  }

  get itemCount() {
    return this.skus.length;
  }

  /** What the customer bought, as SKUs; empty for a customer the model has not seen. */
  boughtBy(customerId: string): string[] {
    return [...(this.history.get(customerId)?.keys() ?? [])].map((i) => this.skus[i]!);
  }

  /** Top `k` items for a customer that they have not bought yet, each with the reason. */
  recommend(customerId: string, k: number): Recommendation[] {
    const bought = this.history.get(customerId) ?? new Map<number, number>();
    const halfLife = (this.options.halfLifeDays ?? 0) * DAY;
    const scores = new Map<number, { score: number; best: number; bestScore: number }>();
    for (const [item, at] of bought) {
      // Recent purchases say more about what comes next than last year's.
      const weight = halfLife ? 0.5 ** ((this.latest - at) / halfLife) : 1;
      for (const [other, similarity] of this.similar[item] ?? []) {
        if (bought.has(other)) continue;
        const sim = similarity * weight;
        const entry = scores.get(other) ?? { score: 0, best: item, bestScore: 0 };
        entry.score += sim;
        if (sim > entry.bestScore) {
          entry.best = item;
          entry.bestScore = sim;
        }
        scores.set(other, entry);
      }
    }
    const trend = this.options.trend ?? 0;
    const top = Math.max(1, ...this.recentBuyers);
    if (trend && scores.size) {
      const best = Math.max(...[...scores.values()].map((e) => e.score));
      for (const [item, entry] of scores) entry.score += trend * best * (this.recentBuyers[item]! / top);
    }
    const content = this.options.content ?? 0;
    if (content && scores.size) {
      // Names share families ("JUMBO BAG RETROSPOT"): the words of what they bought, recent ones weighing more.
      const profile = new Map<string, number>();
      for (const [item, at] of bought) {
        const weight = halfLife ? 0.5 ** ((this.latest - at) / halfLife) : 1;
        for (const word of this.tokens[item]!) profile.set(word, (profile.get(word) ?? 0) + weight);
      }
      const cfTop = Math.max(...[...scores.values()].map((e) => e.score));
      const match = new Map<number, number>();
      for (const item of scores.keys()) {
        const words = this.tokens[item]!;
        let sum = 0;
        for (const word of words) sum += (profile.get(word) ?? 0) * (this.idf.get(word) ?? 0);
        match.set(item, words.length ? sum / words.length : 0);
      }
      const contentTop = Math.max(1e-9, ...match.values());
      for (const [item, entry] of scores)
        entry.score = entry.score / cfTop + (content * match.get(item)!) / contentTop;
    }
    return [...scores]
      .sort((x, y) => y[1].score - x[1].score || this.buyers[y[0]]! - this.buyers[x[0]]!)
      .slice(0, k)
      .map(([item, entry]) => ({
        sku: this.skus[item]!,
        name: this.names[item]!,
        score: Math.round(entry.score * 1000) / 1000,
        because: { sku: this.skus[entry.best]!, name: this.names[entry.best]! },
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

const tokensOf = (name: string) => [
  ...new Set(
    name
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((word) => word.length > 2),
  ),
];
