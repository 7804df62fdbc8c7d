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

/**
 * Every language's profile folded into one table: gram → its weight in each language (by index), so
 * scoring a message looks each of its grams up once rather than once per language.
 */
type Profiles = { languages: string[]; norms: Float64Array; grams: Map<string, Float64Array> };

let profiles: Profiles | undefined;
function allProfiles(): Profiles {
  if (profiles) return profiles;
  const entries = Object.entries(languageCorpus).map(([language, text]) => [language, vector(text)] as const);
  const grams = new Map<string, Float64Array>();
  entries.forEach(([, profile], index) => {
    for (const [gram, weight] of profile.weights) {
      const row = grams.get(gram) ?? new Float64Array(entries.length);
      row[index] = weight;
      grams.set(gram, row);
    }
  });
  profiles = {
    languages: entries.map(([language]) => language),
    norms: Float64Array.from(entries.map(([, profile]) => profile.norm)),
    grams,
  };
  return profiles;
}

/** Cosine similarity of the text's vector with each language's profile, in `languages` order. */
function cosines(input: Vector, all: Profiles): Float64Array {
  const dots = new Float64Array(all.languages.length);
  if (input.norm === 0) return dots;
  for (const [gram, weight] of input.weights) {
    const row = all.grams.get(gram);
    if (!row) continue;
    for (let i = 0; i < row.length; i++) dots[i]! += weight * row[i]!;
  }
  for (let i = 0; i < dots.length; i++) {
    const norm = all.norms[i]!;
    dots[i] = norm === 0 ? 0 : dots[i]! / (input.norm * norm);
  }
  return dots;
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
  const all = allProfiles();
  const scores = cosines(vector(own), all);
  const scored = all.languages
    .map((language, i) => ({ language, score: scores[i]! }))
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (!best || best.score < 0.2) return { language: 'und', confidence: 0 };
  const lead = (best.score - (second?.score ?? 0)) / best.score;
  return { language: best.language, confidence: Math.round(Math.min(1, lead * 4) * 100) / 100 };
}
