// Rapport's article ranking: BM25F over the weighted tsvector (title and body scored as separate fields,
// each with its own length normalisation) plus bonuses plain BM25 lacks: how much of the query the title
// covers, query word pairs found side by side in the title, and the title's trigram similarity.

/** One query term: a stemmed lexeme (or a prefix), with a weight below 1 for synonym expansions. */
export type QueryTerm = { lexeme: string; prefix: boolean; weight: number; position: number };

/** Where a term occurs in one article: positions in the title (weight A) and in the body. */
export type TermHits = { title: number[]; body: number[] };

export type RankDoc = {
  titleLength: number;
  bodyLength: number;
  /** Keyed by query-term index. */
  hits: Map<number, TermHits>;
  titleSimilarity: number;
};

export type CorpusStats = { documents: number; avgTitleLength: number; avgBodyLength: number };

export const RANKING = {
  k1: 1.2,
  titleWeight: 4,
  bodyWeight: 1,
  titleB: 0.4,
  bodyB: 0.75,
  coverageBoost: 0.6,
  pairBoost: 0.25,
  similarityBoost: 2,
};

export const idf = (documents: number, df: number) => Math.log(1 + (documents - df + 0.5) / (df + 0.5));

/** BM25F score plus the title bonuses; `dfs[i]` is the document frequency of `terms[i]`. */
export function rapportScore(
  terms: QueryTerm[],
  dfs: number[],
  doc: RankDoc,
  stats: CorpusStats,
  p = RANKING,
) {
  let score = 0;
  let titleIdf = 0;
  let totalIdf = 0;
  const normT = 1 - p.titleB + (p.titleB * doc.titleLength) / Math.max(stats.avgTitleLength, 1);
  const normB = 1 - p.bodyB + (p.bodyB * doc.bodyLength) / Math.max(stats.avgBodyLength, 1);
  terms.forEach((term, i) => {
    const w = idf(stats.documents, dfs[i] ?? 0) * term.weight;
    totalIdf += w;
    const hits = doc.hits.get(i);
    if (!hits) return;
    const tf = (p.titleWeight * hits.title.length) / normT + (p.bodyWeight * hits.body.length) / normB;
    score += (w * tf * (p.k1 + 1)) / (p.k1 + tf);
    if (hits.title.length > 0) titleIdf += w;
  });
  if (score === 0) return p.similarityBoost * doc.titleSimilarity;
  const coverage = totalIdf > 0 ? titleIdf / totalIdf : 0;
  return (
    score * (1 + p.coverageBoost * coverage + p.pairBoost * titlePairs(terms, doc)) +
    p.similarityBoost * doc.titleSimilarity * Math.sqrt(totalIdf / Math.max(terms.length, 1))
  );
}

/** Query word pairs (adjacent in the query) that stand next to each other in the title. */
function titlePairs(terms: QueryTerm[], doc: RankDoc): number {
  let pairs = 0;
  for (let i = 0; i < terms.length; i++) {
    for (let j = 0; j < terms.length; j++) {
      if (terms[j]!.position !== terms[i]!.position + 1) continue;
      const a = doc.hits.get(i)?.title;
      const b = doc.hits.get(j)?.title;
      if (a && b && a.some((pos) => b.includes(pos + 1))) pairs++;
    }
  }
  return pairs;
}

/** Plain Okapi BM25 (k1 1.2, b 0.75) over title and body as one field: the baseline the eval compares to. */
export function bm25Score(terms: QueryTerm[], dfs: number[], doc: RankDoc, stats: CorpusStats) {
  const length = doc.titleLength + doc.bodyLength;
  const avg = stats.avgTitleLength + stats.avgBodyLength;
  let score = 0;
  terms.forEach((_term, i) => {
    const hits = doc.hits.get(i);
    if (!hits) return;
    const tf = hits.title.length + hits.body.length;
    score +=
      (idf(stats.documents, dfs[i] ?? 0) * tf * 2.2) /
      (tf + 1.2 * (0.25 + (0.75 * length) / Math.max(avg, 1)));
  });
  return score;
}

/**
 * Parses the lexemes of a tsvector (as `unnest` returns them: lexeme, positions, weights) into hits for
 * each query term; weight A is the title, anything else the body.
 */
export function hitsFor(terms: QueryTerm[], lexemes: Array<[string, number[] | null, string[] | null]>) {
  const hits = new Map<number, TermHits>();
  for (const [lexeme, positions, weights] of lexemes) {
    terms.forEach((term, i) => {
      if (term.prefix ? !lexeme.startsWith(term.lexeme) : lexeme !== term.lexeme) return;
      const entry = hits.get(i) ?? { title: [], body: [] };
      (positions ?? [1]).forEach((pos, k) => {
        (weights?.[k] === 'A' ? entry.title : entry.body).push(pos);
      });
      hits.set(i, entry);
    });
  }
  return hits;
}
