// Language of a customer message from character n-gram profiles built from language-corpus.ts.
import { languageCorpus } from './language-corpus.ts';
import { charNgrams, tokenize } from './text-tokens.ts';

export type LanguageGuess = { language: string; confidence: number };

type Vector = { weights: Map<string, number>; norm: number };

function vector(text: string): Vector {
  const weights = new Map<string, number>();
  const tokens = tokenize(text).filter((t) => /\p{L}/u.test(t) && !t.startsWith('_'));
  for (const gram of charNgrams(tokens, 1, 3)) {
    // Trigrams carry most of the signal; single letters only settle very short texts.
    const weight = gram.length === 3 ? 1 : gram.length === 2 ? 0.5 : 0.2;
    weights.set(gram, (weights.get(gram) ?? 0) + weight);
  }
  let sum = 0;
  for (const w of weights.values()) sum += w * w;
  return { weights, norm: Math.sqrt(sum) };
}

let profiles: [string, Vector][] | undefined;
const allProfiles = () => {
  profiles ??= Object.entries(languageCorpus).map(([language, text]) => [language, vector(text)]);
  return profiles;
};

function cosine(a: Vector, b: Vector): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  let dot = 0;
  for (const [gram, w] of a.weights) dot += w * (b.weights.get(gram) ?? 0);
  return dot / (a.norm * b.norm);
}

/** The languages Rapport tells apart (ISO 639-1). */
export const detectableLanguages = Object.keys(languageCorpus);

const MIN_LETTERS = 10;

/**
 * The most likely language and a 0–1 confidence from how far it leads the runner-up;
 * 'und' with confidence 0 when the text is too short or matches no profile.
 */
export function detectLanguage(text: string): LanguageGuess {
  // Quoted history and signatures belong to someone else's text.
  const own = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('>'))
    .join('\n')
    .slice(0, 4000);
  if ((own.match(/\p{L}/gu)?.length ?? 0) < MIN_LETTERS) return { language: 'und', confidence: 0 };
  const input = vector(own);
  const scored = allProfiles()
    .map(([language, profile]) => ({ language, score: cosine(input, profile) }))
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (!best || best.score < 0.2) return { language: 'und', confidence: 0 };
  const lead = (best.score - (second?.score ?? 0)) / best.score;
  return { language: best.language, confidence: Math.round(Math.min(1, lead * 4) * 100) / 100 };
}
