import { CsvFormatError } from './eval-csv.ts';
import { round, scorePredictions } from './eval-metrics.ts';
import { TrainedSentiment } from './sentiment-model.ts';
import { analyzeMessage, type SentimentLabel } from './sentiment-signals.ts';

const NAMED: Record<string, SentimentLabel> = {
  negative: 'negative',
  neg: 'negative',
  neutral: 'neutral',
  neu: 'neutral',
  positive: 'positive',
  pos: 'positive',
};

/**
 * Maps a column of labels to negative/neutral/positive: names (negative, neg, …), -1/0/1, or 0/1
 * when only those two occur (0 = negative, as in binary review sets). Anything else is an error.
 */
export function normalizeSentimentLabels(labels: readonly string[]): SentimentLabel[] {
  const seen = new Set(labels.map((label) => label.trim().toLowerCase()));
  const binary = [...seen].every((label) => label === '0' || label === '1');
  const numeric: Record<string, SentimentLabel> = binary
    ? { '0': 'negative', '1': 'positive' }
    : { '-1': 'negative', '0': 'neutral', '1': 'positive' };
  return labels.map((raw, i) => {
    const label = raw.trim().toLowerCase();
    const mapped = NAMED[label] ?? numeric[label];
    if (!mapped)
      throw new CsvFormatError(
        `row ${i + 1}: label "${raw}" is not negative/neutral/positive (or -1/0/1, or 0/1 for binary sets)`,
      );
    return mapped;
  });
}

export type SentimentEvaluation = {
  method: 'lexicon_signals' | 'trained';
  accuracy: number;
  macro_f1: number;
  test_rows: number;
  train_rows: number;
  ms_per_item: number;
  train_seconds: number;
};

type Row = { text: string; label: SentimentLabel };

/** Scores `test` with the lexicon and signals, or with a model trained on `train` when given. */
export function evaluateSentiment(test: readonly Row[], train?: readonly Row[]): SentimentEvaluation {
  const started = performance.now();
  const model = train?.length ? TrainedSentiment.train(train) : undefined;
  const trained = performance.now();
  const scores = scorePredictions(test, (text) => (model ? model.predict(text) : analyzeMessage(text).label));
  return {
    method: model ? 'trained' : 'lexicon_signals',
    ...scores,
    test_rows: test.length,
    train_rows: train?.length ?? 0,
    train_seconds: round((trained - started) / 1000, 2),
  };
}
