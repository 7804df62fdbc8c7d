import type { KbSearchHit } from '../kb/kb-search.ts';

// A logistic fit of "the offered top 3 hold the right article" on the search scores of StackFAQ's 625
// dev queries (positives) and 700 CLINC150 questions no FAQ answers (200 out-of-scope, 500 banking,
// travel…). Features: log(1 + best score) and the best score's lead over the second, relative to the
// best. The lead's weight is negative: an off-topic question tends to touch one article by one stray
// word, which gives a big lead on a small score. `npm run bench -- bot` measures it again.
// Scores grow with the log of the article count (through idf): they are scaled to StackFAQ's 125 first.
const FIT = { intercept: -16.27, logScore: 6.51, lead: -2.5, documents: 125 };

/** At 0.5 the bot answered 90% of StackFAQ dev questions (89% of them with the right article in its 3) and 1% of the off-topic ones. */
export const DEFAULT_THRESHOLD = 0.5;

/** The calibrated probability (0–1) that the hits, best first, hold an answer to the question. */
export function confidenceOf(hits: Pick<KbSearchHit, 'score'>[], documents = FIT.documents): number {
  const scale = Math.log(1 + FIT.documents) / Math.log(1 + Math.max(documents, 2));
  const best = (hits[0]?.score ?? 0) * scale;
  if (best <= 0) return 0;
  const second = (hits[1]?.score ?? 0) * scale;
  const z = FIT.intercept + FIT.logScore * Math.log1p(best) + FIT.lead * ((best - second) / best);
  return Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
}
