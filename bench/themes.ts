// Feedback themes: Rapport's clustering (stemmed content words + pairs, rare-and-common terms cut,
// spherical k-means++ with restarts) against plain k-means on TF-IDF of raw words, both with k = the
// number of labels, on the negative airline tweets and their complaint reason (10 labels). The data
// set is licensed for non-commercial research: used here only, never shipped.
import path from 'node:path';
import { clusterThemes, sphericalKMeans } from '../src/feedback/theme-engine.ts';
import { parseCsv } from '../src/intel/eval-csv.ts';
import { round } from '../src/intel/eval-metrics.ts';
import { inverseFrequencies, tfidfVector } from '../src/intel/similar-vectors.ts';
import { tokenize } from '../src/intel/text-tokens.ts';
import { seededRandom } from '../src/intel/triage-linear.ts';
import { adjustedRandIndex, purity } from './support/cluster-metrics.ts';
import { readText, requireDataSet } from './support/data-splits.ts';

type Row = { id: string; text: string; label: string };

function negativeTweets(): Row[] {
  const table = parseCsv(readText(path.join(requireDataSet('airline-sentiment'), 'train.csv')));
  const column = (name: string) => table.header.indexOf(name);
  const [sentiment, reason, text, id] = ['airline_sentiment', 'negativereason', 'text', 'tweet_id'].map(
    column,
  );
  const seen = new Set<string>();
  return table.rows.flatMap((row) => {
    if (row[sentiment!] !== 'negative' || !row[reason!] || seen.has(row[id!]!)) return [];
    seen.add(row[id!]!);
    return [{ id: row[id!]!, text: row[text!]!, label: row[reason!]! }];
  });
}

function scored(rows: Row[], clusters: number[], ms: number) {
  return {
    adjusted_rand_index: round(
      adjustedRandIndex(
        rows.map((r) => r.label),
        clusters,
      ),
    ),
    purity: round(
      purity(
        rows.map((r) => r.label),
        clusters,
      ),
    ),
    ms: Math.round(ms),
  };
}

/** k-means (cosine) on TF-IDF of raw word tokens: no stop words, no stemming, random seeds, one run, full centroids. */
function baseline(rows: Row[], k: number) {
  const started = performance.now();
  const docs = rows.map((row) => tokenize(row.text));
  const idf = inverseFrequencies(docs);
  const vectors = docs.map((doc) => tfidfVector(doc, idf));
  const { assignment } = sphericalKMeans(vectors, k, seededRandom(1), {
    plusPlus: false,
    keep: Number.POSITIVE_INFINITY,
  });
  return scored(rows, [...assignment], performance.now() - started);
}

function rapport(rows: Row[], k: number | undefined) {
  const started = performance.now();
  const themes = clusterThemes(rows, { k, minSize: 1 });
  const clusterOf = new Map<string, number>();
  themes.forEach((theme, c) => {
    for (const id of theme.members) clusterOf.set(id, c);
  });
  // Texts left out of every theme count as one more cluster: nothing is dropped from the score.
  const clusters = rows.map((row) => clusterOf.get(row.id) ?? -1);
  return {
    ...scored(rows, clusters, performance.now() - started),
    themes: themes.length,
    unthemed: clusters.filter((c) => c === -1).length,
    largest: themes
      .map((theme) => ({ label: theme.label, size: theme.members.length }))
      .sort((a, b) => b.size - a.size)
      .slice(0, 6),
  };
}

export default async function themesBench() {
  const rows = negativeTweets();
  const labels = new Set(rows.map((row) => row.label));
  const k = labels.size;
  return {
    data_set: 'airline-sentiment train.csv, negative tweets with a negativereason',
    items: rows.length,
    labels: k,
    baseline_kmeans_tfidf: baseline(rows, k),
    rapport_themes: rapport(rows, k),
    rapport_themes_auto_k: rapport(rows, undefined),
  };
}
