// Sentiment: Rapport's lexicon+signals (no training) and its trained model (lexicon verdict as
// features beside TF-IDF) against a plain lexicon word sum, on airline tweets (3 classes, licensed
// for non-commercial research: used here only, never shipped) and UCI review sentences (2 classes).
import path from 'node:path';
import { parseCsv } from '../src/intel/eval-csv.ts';
import { scorePredictions } from '../src/intel/eval-metrics.ts';
import { evaluateSentiment, normalizeSentimentLabels } from '../src/intel/sentiment-eval.ts';
import type { SentimentLabel } from '../src/intel/sentiment-signals.ts';
import { carve, readText, requireDataSet } from './support/data-splits.ts';
import { lexiconBaseline } from './support/text-baselines.ts';

type Row = { text: string; label: SentimentLabel };

function baseline(test: Row[]) {
  return scorePredictions(test, lexiconBaseline());
}

function compare(name: string, rows: Row[]) {
  const { train, test } = carve(rows);
  return {
    data_set: name,
    test_rows: test.length,
    lexicon_baseline: baseline(test),
    rapport_lexicon_signals: evaluateSentiment(test),
    rapport_trained: evaluateSentiment(test, train),
  };
}

function airline(): Row[] {
  const table = parseCsv(readText(path.join(requireDataSet('airline-sentiment'), 'train.csv')));
  const text = table.header.indexOf('text');
  const label = table.header.indexOf('airline_sentiment');
  const labels = normalizeSentimentLabels(table.rows.map((row) => row[label]!));
  return table.rows.map((row, i) => ({ text: row[text]!, label: labels[i]! }));
}

function reviews(file: string): Row[] {
  const lines = readText(path.join(requireDataSet('review-sentiment'), file))
    .split('\n')
    .filter((line) => line.includes('\t'));
  const pairs = lines.map((line) => {
    const at = line.lastIndexOf('\t');
    return { text: line.slice(0, at).trim(), label: line.slice(at + 1).trim() };
  });
  const labels = normalizeSentimentLabels(pairs.map((pair) => pair.label));
  return pairs.map((pair, i) => ({ text: pair.text, label: labels[i]! }));
}

export default async function sentimentBench() {
  return {
    split: 'each train file: 1/5 carved by text hash for testing, the rest for the trained model',
    results: [
      compare('airline-sentiment (3 classes)', airline()),
      compare('review-sentiment amazon (2 classes)', reviews('amazon_cells_labelled_train.txt')),
      compare('review-sentiment yelp (2 classes)', reviews('yelp_labelled_train.txt')),
    ],
  };
}
