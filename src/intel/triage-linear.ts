import type { SparseVector } from './text-features.ts';

/** Small deterministic PRNG (mulberry32), so a retrain on the same rows gives the same model. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A multiclass linear model over sparse vectors, weights laid out feature-major (all classes of one
 * feature side by side) so scoring one text touches contiguous memory.
 */
export class LinearModel {
  weights: Float32Array;
  bias: Float32Array;

  constructor(
    public classes: number,
    features: number,
  ) {
    this.weights = new Float32Array(features * classes);
    this.bias = new Float32Array(classes);
  }

  get features(): number {
    return this.weights.length / this.classes;
  }

  /** Makes room for features added to the vocabulary after training. */
  grow(features: number): void {
    if (features <= this.features) return;
    const next = new Float32Array(features * this.classes);
    next.set(this.weights);
    this.weights = next;
  }

  scores(x: SparseVector, out = new Float32Array(this.classes)): Float32Array {
    const c = this.classes;
    out.set(this.bias);
    const w = this.weights;
    for (let i = 0; i < x.ids.length; i++) {
      const base = x.ids[i]! * c;
      if (base >= w.length) continue;
      const v = x.values[i]!;
      for (let k = 0; k < c; k++) out[k]! += v * w[base + k]!;
    }
    return out;
  }

  /** Adds an empty class at the end (a label first seen in a correction). */
  addClass(): number {
    const features = this.features;
    const next = new Float32Array(features * (this.classes + 1));
    for (let f = 0; f < features; f++)
      next.set(this.weights.subarray(f * this.classes, (f + 1) * this.classes), f * (this.classes + 1));
    const bias = new Float32Array(this.classes + 1);
    bias.set(this.bias);
    // A new class starts below the others so it wins only where a correction taught it.
    bias[this.classes] = -1;
    this.weights = next;
    this.bias = bias;
    return this.classes++;
  }

  /** A few margin steps on one example: how an agent's correction moves the model at once. */
  nudge(x: SparseVector, y: number, steps = 3, eta = 0.3): void {
    const scores = new Float32Array(this.classes);
    for (let s = 0; s < steps; s++) {
      this.scores(x, scores);
      let rival = -1;
      let best = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < this.classes; k++) {
        if (k !== y && scores[k]! > best) {
          best = scores[k]!;
          rival = k;
        }
      }
      if (rival < 0 || scores[y]! - best >= 1) return;
      for (let i = 0; i < x.ids.length; i++) {
        const base = x.ids[i]! * this.classes;
        this.weights[base + y]! += eta * x.values[i]!;
        this.weights[base + rival]! -= eta * x.values[i]!;
      }
    }
  }
}
