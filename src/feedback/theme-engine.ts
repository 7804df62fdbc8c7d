// Feedback themes, offline on CPU: TF-IDF over stemmed content words and their bigrams, spherical
// k-means (cosine) with k-means++ seeding and a few restarts, labels from each centroid's top terms.
import { contentTerms, cosine, inverseFrequencies, type SparseVector } from '../intel/similar-vectors.ts';
import { tokenize } from '../intel/text-tokens.ts';
import { seededRandom } from '../intel/triage-linear.ts';

export type ThemeDoc = { id: string; text: string };

export type ThemeCluster = {
  label: string;
  terms: string[];
  /** The centroid's strongest terms (unit length), enough to place new items without re-clustering. */
  centroid: Record<string, number>;
  /** Member ids, closest to the centroid first: the first few are the representative quotes. */
  members: string[];
};

export type ClusterOptions = {
  /** Number of themes; by default about √(n/3), between 2 and 15. */
  k?: number;
  seed?: number;
  restarts?: number;
  /** Terms in more than this share of the texts say nothing about a theme ("order", "flight"); by default 30%, more when k is small. */
  maxDocShare?: number;
  /** Smallest theme kept; smaller groups are left without a theme. */
  minSize?: number;
};

const CENTROID_TERMS = 60;
const ITERATIONS = 30;

/** Stemmed content words and adjacent pairs of them; `surface` learns each stem's most common spelling. */
export function themeTerms(raw: string, surface?: Map<string, Map<string, number>>): string[] {
  const text = withoutNoise(raw);
  const stems = contentTerms(text).filter((stem) => !/^0+$/.test(stem));
  if (surface) learnSurface(text, surface);
  const out = [...stems];
  for (let i = 1; i < stems.length; i++)
    if (stems[i] !== stems[i - 1]) out.push(`${stems[i - 1]} ${stems[i]}`);
  return out;
}

/** Mentions, links and addresses name no theme. */
const withoutNoise = (text: string) => text.replace(/@\w+|https?:\/\/\S+|www\.\S+|\S+@\S+\.\w+/g, ' ');

function learnSurface(text: string, surface: Map<string, Map<string, number>>) {
  for (const word of tokenize(text)) {
    const [stem] = contentTerms(word);
    if (!stem) continue;
    const forms = surface.get(stem) ?? new Map<string, number>();
    forms.set(word, (forms.get(word) ?? 0) + 1);
    surface.set(stem, forms);
  }
}

function normalise(vector: SparseVector): SparseVector {
  let sum = 0;
  for (const value of vector.values()) sum += value * value;
  const norm = Math.sqrt(sum) || 1;
  for (const [term, value] of vector) vector.set(term, value / norm);
  return vector;
}

/** Unit TF-IDF vectors of the texts, terms kept when in at least 2 texts and at most `maxDocShare` of them. */
export function themeVectors(termLists: readonly string[][], maxDocShare: number): SparseVector[] {
  const idf = inverseFrequencies(termLists);
  const df = new Map<string, number>();
  for (const terms of termLists) for (const term of new Set(terms)) df.set(term, (df.get(term) ?? 0) + 1);
  const limit = Math.max(2, termLists.length * maxDocShare);
  return termLists.map((terms) => {
    const tf = new Map<string, number>();
    for (const term of terms) {
      const count = df.get(term) ?? 0;
      if (count >= 2 && count <= limit) tf.set(term, (tf.get(term) ?? 0) + 1);
    }
    const vector: SparseVector = new Map();
    for (const [term, count] of tf) vector.set(term, (1 + Math.log(count)) * (idf.get(term) ?? 1));
    return normalise(vector);
  });
}

// Centroids keep their strongest terms only: the long tail of one-off words is noise that pulls
// unrelated texts together (ARI 0.157 against 0.062 untrimmed on the themes bench), and it is faster.
const CENTROID_KEEP = 150;

function meanOf(vectors: readonly SparseVector[], keep: number): SparseVector {
  const sum: SparseVector = new Map();
  for (const vector of vectors)
    for (const [term, value] of vector) sum.set(term, (sum.get(term) ?? 0) + value);
  return normalise(new Map([...sum].sort((a, b) => b[1] - a[1]).slice(0, keep)));
}

/** k-means++ seeding on cosine distance. */
function seedCentroids(vectors: readonly SparseVector[], k: number, random: () => number): SparseVector[] {
  const centroids = [new Map(vectors[Math.floor(random() * vectors.length)]!)];
  const distance = vectors.map((v) => 1 - cosine(v, centroids[0]!));
  while (centroids.length < k) {
    const total = distance.reduce((a, b) => a + b * b, 0);
    let pick = random() * total;
    let chosen = vectors.length - 1;
    for (let i = 0; i < vectors.length; i++) {
      pick -= distance[i]! * distance[i]!;
      if (pick <= 0) {
        chosen = i;
        break;
      }
    }
    const centroid = new Map(vectors[chosen]!);
    centroids.push(centroid);
    for (let i = 0; i < vectors.length; i++)
      distance[i] = Math.min(distance[i]!, 1 - cosine(vectors[i]!, centroid));
  }
  return centroids;
}

/** Spherical k-means; resolves to each vector's cluster and the summed similarity (higher is tighter). */
export function sphericalKMeans(
  vectors: readonly SparseVector[],
  k: number,
  random: () => number,
  options: { plusPlus?: boolean; keep?: number } = {},
) {
  let centroids =
    options.plusPlus === false
      ? Array.from({ length: k }, () => new Map(vectors[Math.floor(random() * vectors.length)]!))
      : seedCentroids(vectors, k, random);
  let assignment = new Int32Array(vectors.length).fill(-1);
  let score = 0;
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const next = new Int32Array(vectors.length);
    score = 0;
    vectors.forEach((vector, i) => {
      let best = 0;
      let bestSimilarity = -1;
      centroids.forEach((centroid, c) => {
        const similarity = cosine(vector, centroid);
        if (similarity > bestSimilarity) [best, bestSimilarity] = [c, similarity];
      });
      next[i] = best;
      score += bestSimilarity;
    });
    const moved = next.some((c, i) => c !== assignment[i]);
    assignment = next;
    if (!moved) break;
    centroids = centroids.map((old, c) => {
      const members = vectors.filter((_, i) => assignment[i] === c);
      return members.length ? meanOf(members, options.keep ?? CENTROID_KEEP) : old;
    });
  }
  return { assignment, centroids, score };
}

const topTerms = (centroid: SparseVector, count: number) =>
  [...centroid].sort((a, b) => b[1] - a[1]).slice(0, count);

function readable(term: string, surface: Map<string, Map<string, number>>) {
  return term
    .split(' ')
    .map((stem) => [...(surface.get(stem) ?? new Map([[stem, 1]]))].sort((a, b) => b[1] - a[1])[0]![0])
    .join(' ');
}

/**
 * A label a person reads: the strongest pair of words when it carries the theme (≥ half the top
 * weight), else the two strongest words, each spelled as the texts spell it most often.
 */
export function themeLabel(centroid: SparseVector, surface: Map<string, Map<string, number>>): string {
  const top = topTerms(centroid, 8);
  if (top.length === 0) return 'Other';
  const pair = top.find(([term]) => term.includes(' '));
  if (pair && pair[1] >= top[0]![1] * 0.5) return readable(pair[0], surface);
  const words = top.filter(([term]) => !term.includes(' ')).slice(0, 2);
  return words.map(([term]) => readable(term, surface)).join(' · ');
}

export const defaultThemeCount = (n: number) => Math.max(2, Math.min(15, Math.round(Math.sqrt(n / 3))));

/**
 * Groups texts into themes. Texts without a content word, and groups smaller than `minSize`, are left
 * out of every theme. Deterministic for a given seed.
 */
export function clusterThemes(docs: readonly ThemeDoc[], options: ClusterOptions = {}): ThemeCluster[] {
  const surface = new Map<string, Map<string, number>>();
  const termLists = docs.map((doc) => themeTerms(doc.text, surface));
  const withTerms = termLists.filter((terms) => terms.length > 0).length;
  if (withTerms < 2) return [];
  const k = Math.min(options.k ?? defaultThemeCount(withTerms), withTerms);
  // With few themes one of them may well hold a third of the texts: its own words must stay.
  const vectors = themeVectors(termLists, options.maxDocShare ?? Math.max(0.3, 1.5 / k));
  const usable = docs.map((_, i) => i).filter((i) => vectors[i]!.size > 0);
  if (usable.length < k) return [];
  const random = seededRandom(options.seed ?? 1);
  const kept = usable.map((i) => vectors[i]!);
  let best = sphericalKMeans(kept, k, random);
  for (let restart = 1; restart < (options.restarts ?? 3); restart++) {
    const run = sphericalKMeans(kept, k, random);
    if (run.score > best.score) best = run;
  }
  const minSize = options.minSize ?? Math.max(2, Math.ceil(usable.length * 0.01));
  return best.centroids.flatMap((centroid, c) => {
    const members = usable
      .map((docIndex, i) => ({ docIndex, i }))
      .filter(({ i }) => best.assignment[i] === c)
      .map(({ docIndex, i }) => ({ id: docs[docIndex]!.id, similarity: cosine(kept[i]!, centroid) }))
      .sort((a, b) => b.similarity - a.similarity);
    if (members.length < minSize) return [];
    const strongest = topTerms(centroid, CENTROID_TERMS);
    return [
      {
        label: themeLabel(centroid, surface),
        terms: strongest.slice(0, 5).map(([term]) => readable(term, surface)),
        centroid: Object.fromEntries(normalise(new Map(strongest))),
        members: members.map((member) => member.id),
      },
    ];
  });
}

/** The theme a new text belongs to: the closest centroid, when at least `minSimilarity` close. */
export function closestTheme<T extends { id: string; centroid: Record<string, number> }>(
  text: string,
  themes: readonly T[],
  minSimilarity = 0.12,
): { theme: T; similarity: number } | undefined {
  const terms = themeTerms(text);
  if (terms.length === 0) return undefined;
  const vector = normalise(new Map(terms.map((term) => [term, 1])));
  let best: { theme: T; similarity: number } | undefined;
  for (const theme of themes) {
    const similarity = cosine(vector, new Map(Object.entries(theme.centroid)));
    if (similarity >= minSimilarity && (!best || similarity > best.similarity)) best = { theme, similarity };
  }
  return best;
}
