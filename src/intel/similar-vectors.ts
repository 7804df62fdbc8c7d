// TF-IDF vectors over stemmed content words: shared by similar tickets and thread summaries.
import { tokenize } from './text-tokens.ts';

const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have ' +
    'having he her here hers him his how i if in into is it its itself just me more most my no nor not ' +
    'now of off on once only or other our ours out over own same she should so some such than that the ' +
    'their them then there these they this those through to too under until up very was we were what ' +
    'when where which while who whom why will with would you your yours hi hello thanks thank please ' +
    "regards best dear i'm i've i'll it's don't can't we're we'll you're let us get got also would could 0"
  ).split(' '),
);

/** A light suffix stripper: enough to meet "refunds", "refunded" and "refunding" at "refund". */
export function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Stemmed content words of a text, in order. */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    if (token.length < 2 || STOPWORDS.has(token) || token.startsWith('_')) continue;
    out.push(stem(token.replace(/'s$/, '')));
  }
  return out;
}

export type SparseVector = Map<string, number>;

/** Smoothed inverse document frequencies over a set of term lists. */
export function inverseFrequencies(docs: readonly (readonly string[])[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const doc of docs) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [term, count] of df) idf.set(term, Math.log((docs.length + 1) / (count + 1)) + 1);
  return idf;
}

/** A unit-length TF-IDF vector (sub-linear term frequency). */
export function tfidfVector(terms: readonly string[], idf: Map<string, number>): SparseVector {
  const tf = new Map<string, number>();
  for (const term of terms) tf.set(term, (tf.get(term) ?? 0) + 1);
  const out: SparseVector = new Map();
  let sum = 0;
  for (const [term, count] of tf) {
    const weight = (1 + Math.log(count)) * (idf.get(term) ?? 1);
    out.set(term, weight);
    sum += weight * weight;
  }
  const norm = Math.sqrt(sum) || 1;
  for (const [term, weight] of out) out.set(term, weight / norm);
  return out;
}

export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
  return dot;
}
