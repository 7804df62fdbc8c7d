import { round, scorePredictions } from './eval-metrics.ts';
import { type LabelledText, TriageClassifier } from './triage-classifier.ts';

export type TriageEvaluation = {
  accuracy: number;
  macro_f1: number;
  train_seconds: number;
  ms_per_item: number;
  train_rows: number;
  test_rows: number;
  labels: number;
};

/** Trains from scratch on `train`, predicts every `test` row, and times both. */
export function evaluateTriage(
  train: readonly LabelledText[],
  test: readonly LabelledText[],
): TriageEvaluation {
  const started = performance.now();
  const classifier = TriageClassifier.train(train);
  const trained = performance.now();
  const scores = scorePredictions(test, (text) => classifier.predict(text, 0).label);
  return {
    ...scores,
    train_seconds: round((trained - started) / 1000, 2),
    train_rows: train.length,
    test_rows: test.length,
    labels: new Set(train.map((row) => row.label)).size,
  };
}
