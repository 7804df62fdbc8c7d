// Plain baselines measured beside Rapport's models in the same bench run.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { tokenize } from '../../src/intel/text-tokens.ts';

type Row = { text: string; label: string };

/** Multinomial naive Bayes on word unigrams with Laplace smoothing. */
export function trainNaiveBayes(rows: readonly Row[]): (text: string) => string {
  const labels = [...new Set(rows.map((row) => row.label))];
  const counts = new Map(labels.map((label) => [label, new Map<string, number>()]));
  const totals = new Map(labels.map((label) => [label, 0]));
  const docs = new Map(labels.map((label) => [label, 0]));
  const vocabulary = new Set<string>();
  for (const row of rows) {
    const bag = counts.get(row.label)!;
    docs.set(row.label, docs.get(row.label)! + 1);
    for (const token of tokenize(row.text)) {
      vocabulary.add(token);
      bag.set(token, (bag.get(token) ?? 0) + 1);
      totals.set(row.label, totals.get(row.label)! + 1);
    }
  }
  const v = vocabulary.size;
  const prior = new Map(labels.map((label) => [label, Math.log(docs.get(label)! / rows.length)]));
  return (text) => {
    const tokens = tokenize(text).filter((token) => vocabulary.has(token));
    let best = labels[0]!;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const label of labels) {
      const bag = counts.get(label)!;
      const denominator = Math.log(totals.get(label)! + v);
      let score = prior.get(label)!;
      for (const token of tokens) score += Math.log((bag.get(token) ?? 0) + 1) - denominator;
      if (score > bestScore) {
        bestScore = score;
        best = label;
      }
    }
    return best;
  };
}

/** Sum of VADER lexicon valences of the words, no rules (negation, capitals, "but"): sign = label. */
export function lexiconBaseline(): (text: string) => 'negative' | 'neutral' | 'positive' {
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve('vader-sentiment/package.json')), 'vader_lexicon.txt');
  const valence = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [word, value] = line.split('\t');
    if (word && value) valence.set(word.toLowerCase(), Number(value));
  }
  return (text) => {
    let sum = 0;
    for (const token of tokenize(text)) sum += valence.get(token) ?? 0;
    return sum > 0 ? 'positive' : sum < 0 ? 'negative' : 'neutral';
  };
}
