export type ClassificationScores = { accuracy: number; macro_f1: number; per_label: Record<string, number> };

/** Accuracy and macro-averaged F1 over the labels seen in either the truth or the predictions. */
export function classificationScores(
  truth: readonly string[],
  predicted: readonly string[],
): ClassificationScores {
  const labels = [...new Set([...truth, ...predicted])].sort();
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
