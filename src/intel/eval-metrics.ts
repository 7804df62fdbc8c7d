export type ClassificationScores = { accuracy: number; macro_f1: number; per_label: Record<string, number> };

/**
 * Accuracy and F1 per label, macro-averaged over the labels of the truth: on a binary test set a
 * "neutral" guess counts against recall but adds no zero-F1 class of its own.
 */
export function classificationScores(
  truth: readonly string[],
  predicted: readonly string[],
): ClassificationScores {
  const labels = [...new Set(truth)].sort();
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  let correct = 0;
  truth.forEach((label, i) => {
    const guess = predicted[i]!;
    if (guess === label) {
      correct++;
      tp.set(label, (tp.get(label) ?? 0) + 1);
    } else {
      fp.set(guess, (fp.get(guess) ?? 0) + 1);
      fn.set(label, (fn.get(label) ?? 0) + 1);
    }
  });
  const perLabel: Record<string, number> = {};
  for (const label of labels) {
    const t = tp.get(label) ?? 0;
    const denominator = 2 * t + (fp.get(label) ?? 0) + (fn.get(label) ?? 0);
    perLabel[label] = denominator === 0 ? 0 : (2 * t) / denominator;
  }
  const f1s = Object.values(perLabel);
  return {
    accuracy: truth.length ? correct / truth.length : 0,
    macro_f1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0,
    per_label: perLabel,
  };
}

export const round = (value: number, digits = 4) => Number(value.toFixed(digits));

export type PredictionScores = { accuracy: number; macro_f1: number; ms_per_item: number };

/** Runs `predict` over every test row and scores it: what each eval and bench reports. */
export function scorePredictions<L extends string>(
  test: readonly { text: string; label: L }[],
  predict: (text: string) => string,
): PredictionScores {
  const started = performance.now();
  const predicted = test.map((row) => predict(row.text));
  const done = performance.now();
  const scores = classificationScores(
    test.map((row) => row.label),
    predicted,
  );
  return {
    accuracy: round(scores.accuracy),
    macro_f1: round(scores.macro_f1),
    ms_per_item: round((done - started) / Math.max(1, test.length), 3),
  };
}
