import type { SparseVector } from './text-features.ts';
import { LinearModel, seededRandom } from './triage-linear.ts';

export type SvmOptions = { c: number; iterations: number; seed: number; tolerance: number };

export const defaultSvmOptions: SvmOptions = { c: 0.5, iterations: 12, seed: 7, tolerance: 0.1 };

/**
 * One-vs-rest linear SVM (squared hinge, L2), solved per class by dual coordinate descent (the
 * LIBLINEAR method behind scikit-learn's LinearSVC): a few passes, no learning rate to tune.
 * The dual variables are kept, so training can continue warm after more rows are made active.
 */
export class SvmTrainer {
  private readonly diag: number;
  private readonly qii: Float64Array;
  private readonly alpha: Float64Array;
  private readonly random: () => number;
  readonly model: LinearModel;

  constructor(
    private readonly xs: readonly SparseVector[],
    private readonly ys: readonly number[],
    classes: number,
    features: number,
    private readonly options: SvmOptions = defaultSvmOptions,
  ) {
    this.model = new LinearModel(classes, features);
    this.diag = 1 / (2 * options.c);
    this.qii = new Float64Array(xs.length);
    // A constant bias feature of 1, as LIBLINEAR's -B 1.
    for (let i = 0; i < xs.length; i++) {
      let sum = 1;
      for (const v of xs[i]!.values) sum += v * v;
      this.qii[i] = sum + this.diag;
    }
    this.alpha = new Float64Array(xs.length * classes);
    this.random = seededRandom(options.seed);
  }

  /** Runs up to `iterations` passes over the first `active` rows, for every class. */
  run(active: number, iterations = this.options.iterations): void {
    const { classes } = this.model;
    const features = this.model.features;
    const weights = this.model.weights;
    const w = new Float64Array(features);
    const order = new Int32Array(active);
    for (let k = 0; k < classes; k++) {
      for (let f = 0; f < features; f++) w[f] = weights[f * classes + k]!;
      let bias = this.model.bias[k]!;
      for (let i = 0; i < active; i++) order[i] = i;
      // LIBLINEAR's shrinking: rows far outside the margin leave the pass; one full pass at the end
      // confirms nothing was dropped too early.
      let size = active;
      let bound = Number.POSITIVE_INFINITY;
      for (let iter = 0; iter < iterations; iter++) {
        this.shuffle(order.subarray(0, size));
        let pgMax = Number.NEGATIVE_INFINITY;
        let pgMin = Number.POSITIVE_INFINITY;
        for (let s = 0; s < size; s++) {
          const i = order[s]!;
          const x = this.xs[i]!;
          const y = this.ys[i] === k ? 1 : -1;
          const a = i * classes + k;
          let dot = bias;
          for (let f = 0; f < x.ids.length; f++) dot += w[x.ids[f]!]! * x.values[f]!;
          const g = y * dot - 1 + this.diag * this.alpha[a]!;
          let pg = g;
          if (this.alpha[a] === 0) {
            if (g > bound) {
              size--;
              order[s] = order[size]!;
              order[size] = i;
              s--;
              continue;
            }
            pg = Math.min(g, 0);
          }
          pgMax = Math.max(pgMax, pg);
          pgMin = Math.min(pgMin, pg);
          if (pg === 0) continue;
          const next = Math.max(this.alpha[a]! - g / this.qii[i]!, 0);
          const delta = (next - this.alpha[a]!) * y;
          this.alpha[a] = next;
          if (delta === 0) continue;
          for (let f = 0; f < x.ids.length; f++) w[x.ids[f]!]! += delta * x.values[f]!;
          bias += delta;
        }
        if (pgMax - pgMin <= this.options.tolerance) {
          if (size === active) break;
          size = active;
          bound = Number.POSITIVE_INFINITY;
          continue;
        }
        bound = pgMax <= 0 ? Number.POSITIVE_INFINITY : pgMax;
      }
      for (let f = 0; f < features; f++) weights[f * classes + k] = w[f]!;
      this.model.bias[k] = bias;
    }
  }

  private shuffle(order: Int32Array): void {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const swap = order[i]!;
      order[i] = order[j]!;
      order[j] = swap;
    }
  }
}
