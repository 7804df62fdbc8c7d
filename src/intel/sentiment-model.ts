import { analyzeMessage, type SentimentLabel } from './sentiment-signals.ts';
import { type LabelledText, TriageClassifier } from './triage-classifier.ts';

/**
 * The lexicon's verdict written as pseudo-words, so a classifier trained on a workspace's own labelled
 * messages learns how far to trust it beside the words themselves.
 */
export function lexiconWords(text: string): string {
  const { score, label, signals } = analyzeMessage(text);
  const bin = Math.round((score + 1) * 2);
  return [
    `lexverdict${label}`,
    `lexscore${'abcde'[bin] ?? 'c'}`,
    ...signals.map((s) => `lexsignal${s.replace('_', '')}`),
  ].join(' ');
}

/** Sentiment learned from labelled messages on top of the lexicon's verdict. */
export class TrainedSentiment {
  private constructor(private readonly classifier: TriageClassifier) {}

  static train(rows: readonly LabelledText[]): TrainedSentiment {
    return new TrainedSentiment(
      TriageClassifier.train(
        rows.map((row) => ({ text: `${row.text}\n${lexiconWords(row.text)}`, label: row.label })),
      ),
    );
  }

  predict(text: string): SentimentLabel {
    return this.classifier.predict(`${text}\n${lexiconWords(text)}`, 0).label as SentimentLabel;
  }
}
