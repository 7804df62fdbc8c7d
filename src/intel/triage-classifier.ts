import {
  defaultFeatureOptions,
  type FeatureOptions,
  type SparseVector,
  TfidfVectorizer,
} from './text-features.ts';
import { LinearModel, seededRandom } from './triage-linear.ts';
import { defaultSvmOptions, type SvmOptions, SvmTrainer } from './triage-svm.ts';
import { decodeWeights, encodeWeights } from './triage-weights.ts';

export type LabelledText = { text: string; label: string };
export type RankedLabel = { label: string; confidence: number };
export type TriagePrediction = RankedLabel & { alternatives: RankedLabel[] };

export type ClassifierOptions = {
  features: FeatureOptions;
  svm: SvmOptions;
  /** Share of rows held out first to fit the confidence temperature, then trained on warm. */
  calibrationShare: number;
};

export const defaultClassifierOptions: ClassifierOptions = {
  features: defaultFeatureOptions,
  svm: defaultSvmOptions,
  calibrationShare: 0.1,
};

export type SerializedClassifier = {
  format: 1;
  labels: string[];
  temperature: number;
  vectorizer: ReturnType<TfidfVectorizer['toJSON']>;
  weights: string;
  scales: number[];
  bias: number[];
};

function softmax(scores: Float32Array, temperature: number): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) max = Math.max(max, s);
  const out = new Float64Array(scores.length);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    out[k] = Math.exp((scores[k]! - max) / temperature);
    sum += out[k]!;
  }
  for (let k = 0; k < out.length; k++) out[k]! /= sum;
  return out;
}

/** Temperature minimising the negative log-likelihood of held-out rows (golden-section search). */
function fitTemperature(model: LinearModel, xs: SparseVector[], ys: number[]): number {
  if (xs.length === 0) return 0.25;
  const scores = xs.map((x) => model.scores(x));
  const nll = (t: number) => {
    let sum = 0;
    scores.forEach((s, i) => {
      sum -= Math.log(Math.max(softmax(s, t)[ys[i]!]!, 1e-12));
    });
    return sum;
  };
  let lo = 0.02;
  let hi = 2;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let step = 0; step < 30; step++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (nll(a) < nll(b)) hi = b;
    else lo = a;
  }
  return (lo + hi) / 2;
}

/**
 * Learns categories from labelled texts: TF-IDF word, word-pair and char n-gram features, a
 * one-vs-rest linear SVM, and a softmax over its scores with a fitted temperature as confidence.
 */
export class TriageClassifier {
  private constructor(
    readonly labels: string[],
    private readonly vectorizer: TfidfVectorizer,
    private readonly model: LinearModel,
    public temperature: number,
  ) {}

  static train(rows: readonly LabelledText[], options = defaultClassifierOptions): TriageClassifier {
    if (rows.length === 0) throw new RangeError('no labelled rows to train on');
    const labels = [...new Set(rows.map((row) => row.label))].sort();
    const labelIndex = new Map(labels.map((label, i) => [label, i]));
    // Calibration rows go last so the trainer can first run on the others, then warm on all.
    const random = seededRandom(options.svm.seed + 1);
    const held = rows.length >= 50 ? rows.filter(() => random() < options.calibrationShare) : [];
    const heldSet = new Set(held);
    const ordered = [...rows.filter((row) => !heldSet.has(row)), ...held];
    const vectorizer = new TfidfVectorizer(options.features);
    const xs = vectorizer.fitTransform(ordered.map((row) => row.text));
    const ys = ordered.map((row) => labelIndex.get(row.label)!);
    const trainer = new SvmTrainer(xs, ys, labels.length, vectorizer.size, options.svm);
    const first = ordered.length - held.length;
    trainer.run(first);
    const temperature = fitTemperature(trainer.model, xs.slice(first), ys.slice(first));
    if (held.length > 0) trainer.run(ordered.length, Math.max(3, Math.ceil(options.svm.iterations / 3)));
    return new TriageClassifier(labels, vectorizer, trainer.model, temperature);
  }

  predict(text: string, alternatives = 3): TriagePrediction {
    const probabilities = softmax(this.model.scores(this.vectorizer.transform(text)), this.temperature);
    const ranked = [...probabilities.keys()]
      .sort((a, b) => probabilities[b]! - probabilities[a]!)
      .slice(0, alternatives + 1)
      .map((k) => ({ label: this.labels[k]!, confidence: probabilities[k]! }));
    const [best, ...rest] = ranked;
    return { ...best!, alternatives: rest };
  }

  /** Learns from one correction at once: unseen words and labels are added, then a few margin steps. */
  learn(text: string, label: string): void {
    let y = this.labels.indexOf(label);
    if (y < 0) {
      y = this.model.addClass();
      this.labels.push(label);
    }
    this.vectorizer.extend(text);
    this.model.grow(this.vectorizer.size);
    this.model.nudge(this.vectorizer.transform(text), y);
  }

  serialize(): SerializedClassifier {
    const { data, scales } = encodeWeights(this.model.weights, this.model.classes);
    return {
      format: 1,
      labels: this.labels,
      temperature: this.temperature,
      vectorizer: this.vectorizer.toJSON(),
      weights: data,
      scales,
      bias: [...this.model.bias],
    };
  }

  static deserialize(data: SerializedClassifier): TriageClassifier {
    const vectorizer = TfidfVectorizer.fromJSON(data.vectorizer);
    const model = new LinearModel(data.labels.length, vectorizer.size);
    model.weights = decodeWeights(data.weights, data.scales, data.labels.length);
    model.bias = Float32Array.from(data.bias);
    return new TriageClassifier([...data.labels], vectorizer, model, data.temperature);
  }
}
