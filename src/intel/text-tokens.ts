// Shared tokenizer for the offline text features (triage, sentiment, similar tickets, summaries).
// Plain and deterministic: the same text always gives the same tokens on server and in tests.

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const URL_OR_EMAIL = /\b(?:https?:\/\/\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+)/giu;

/** Lower-cased text with URLs and e-mail addresses replaced by placeholders and digits folded to 0. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(URL_OR_EMAIL, (match) =>
      match.includes('@') && !match.startsWith('http') ? ' _email_ ' : ' _url_ ',
    )
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\d/g, '0');
}

/** Word tokens of already normalised text (letters/digits, inner apostrophes kept: "don't"). */
export function wordTokens(normalized: string): string[] {
  return normalized.match(WORD) ?? [];
}

/** Word tokens of raw text: normalizeText then wordTokens. */
export function tokenize(text: string): string[] {
  return wordTokens(normalizeText(text));
}

/** Adjacent word pairs joined by a space. */
export function wordBigrams(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < tokens.length; i++) out.push(`${tokens[i - 1]} ${tokens[i]}`);
  return out;
}

/** Character n-grams of each word padded with spaces (like scikit-learn's char_wb analyser). */
export function charNgrams(tokens: readonly string[], min: number, max: number): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const padded = ` ${token} `;
    for (let n = min; n <= max; n++) {
      if (padded.length < n) break;
      for (let i = 0; i + n <= padded.length; i++) out.push(padded.slice(i, i + n));
    }
  }
  return out;
}
