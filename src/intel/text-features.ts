import { charNgrams, normalizeText, wordBigrams, wordTokens } from './text-tokens.ts';

/** A sparse, L2-normalised document vector: parallel arrays of feature ids and weights. */
export type SparseVector = { ids: Int32Array; values: Float32Array };

export type FeatureOptions = {
  /** Keep only features seen in at least this many training documents. */
  minDf: number;
  charMin: number;
  charMax: number;
  /** Relative weight of the word block against the char block (both L2-normalised first). */
  wordWeight: number;
  /** Unordered word pairs up to this far apart (0: none); sorted so "card arrive" = "arrive card". */
  pairWindow: number;
};

export const defaultFeatureOptions: FeatureOptions = {
  minDf: 2,
  charMin: 3,
  charMax: 5,
  wordWeight: 1,
  pairWindow: 12,
};

// A ticket's opening says what it is about; a long thread's tail would only slow prediction down.
const MAX_TOKENS = 300;

/** Raw terms of a text, each prefixed by its block ("w:" words and bigrams, "c:" char n-grams). */
export function documentTerms(text: string, options: FeatureOptions): { words: string[]; chars: string[] } {
  const tokens = wordTokens(normalizeText(text)).slice(0, MAX_TOKENS);
  const words = tokens.map((t) => `w:${t}`);
  for (const bigram of wordBigrams(tokens)) words.push(`w:${bigram}`);
  // Pairs of nearby words act like a small quadratic kernel: "card ... arrived" without the words between.
  for (let i = 0; i < tokens.length; i++)
    for (let j = i + 2; j <= i + options.pairWindow && j < tokens.length; j++) {
      const [a, b] = tokens[i]! < tokens[j]! ? [tokens[i], tokens[j]] : [tokens[j], tokens[i]];
      words.push(`p:${a} ${b}`);
    }
  const chars = charNgrams(tokens, options.charMin, options.charMax).map((g) => `c:${g}`);
  return { words, chars };
}

/**
 * TF-IDF over word uni+bigrams and char n-grams with sublinear term frequency. The vocabulary can
 * grow after fitting (an agent's correction may bring new words), new terms get the rarest IDF.
 */
export class TfidfVectorizer {
  readonly index = new Map<string, number>();
  terms: string[] = [];
  idf: number[] = [];
  private maxIdf = 1;

  constructor(readonly options: FeatureOptions = defaultFeatureOptions) {}

  fit(texts: readonly string[]): this {
    this.fitTerms(texts.map((text) => documentTerms(text, this.options)));
    return this;
  }

  /** fit then transform, extracting each text's terms once. */
  fitTransform(texts: readonly string[]): SparseVector[] {
    const docs = texts.map((text) => documentTerms(text, this.options));
    this.fitTerms(docs);
    return docs.map((doc) => this.vectorOf(doc));
  }

  private fitTerms(docs: readonly { words: string[]; chars: string[] }[]): void {
    const df = new Map<string, number>();
    for (const { words, chars } of docs) {
      const seen = new Set(words);
      for (const term of chars) seen.add(term);
      for (const term of seen) df.set(term, (df.get(term) ?? 0) + 1);
    }
    const n = docs.length;
    this.index.clear();
    this.terms = [];
    this.idf = [];
    for (const [term, count] of df) {
      if (count < this.options.minDf) continue;
      this.index.set(term, this.terms.length);
      this.terms.push(term);
      this.idf.push(Math.log((1 + n) / (1 + count)) + 1);
    }
    this.maxIdf = Math.log((1 + n) / 2) + 1;
  }

  get size(): number {
    return this.terms.length;
  }

  /** Adds the text's unseen terms to the vocabulary; returns how many were added. */
  extend(text: string): number {
    const { words, chars } = documentTerms(text, this.options);
    let added = 0;
    for (const term of new Set([...words, ...chars])) {
      if (this.index.has(term)) continue;
      this.index.set(term, this.terms.length);
      this.terms.push(term);
      this.idf.push(this.maxIdf);
      added++;
    }
    return added;
  }

  transform(text: string): SparseVector {
    return this.vectorOf(documentTerms(text, this.options));
  }

  private vectorOf({ words, chars }: { words: string[]; chars: string[] }): SparseVector {
    const wordPart = this.block(words, this.options.wordWeight);
    const charPart = this.block(chars, 1);
    const ids = new Int32Array(wordPart.length + charPart.length);
    const values = new Float32Array(ids.length);
    let i = 0;
    for (const [id, value] of [...wordPart, ...charPart]) {
      ids[i] = id;
      values[i++] = value;
    }
    return { ids, values };
  }

  private block(terms: readonly string[], weight: number): [number, number][] {
    const counts = new Map<number, number>();
    for (const term of terms) {
      const id = this.index.get(term);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const out: [number, number][] = [];
    let norm = 0;
    for (const [id, count] of counts) {
      const value = (1 + Math.log(count)) * this.idf[id]!;
      norm += value * value;
      out.push([id, value]);
    }
    const scale = norm > 0 ? weight / Math.sqrt(norm) : 0;
    for (const entry of out) entry[1] *= scale;
    return out;
  }

  toJSON(): { options: FeatureOptions; terms: string[]; idf: number[]; maxIdf: number } {
    return { options: this.options, terms: this.terms, idf: this.idf, maxIdf: this.maxIdf };
  }

  static fromJSON(data: { options: FeatureOptions; terms: string[]; idf: number[]; maxIdf: number }) {
    const vectorizer = new TfidfVectorizer(data.options);
    vectorizer.terms = data.terms;
    vectorizer.idf = data.idf;
    vectorizer.maxIdf = data.maxIdf;
    for (const [id, term] of data.terms.entries()) vectorizer.index.set(term, id);
    return vectorizer;
  }
}
