// Text helpers of the reply coach: word tokens with offsets, a phrase trie, sentences and readability.
// No Node-only imports: the console bundles this file.

export type Token = { word: string; start: number; end: number };

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Lower-cased word tokens with their offsets in the original text (curly apostrophes folded). */
export function wordsWithOffsets(text: string): Token[] {
  const out: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const start = match.index;
    out.push({ word: match[0].toLowerCase().replace(/’/g, "'"), start, end: start + match[0].length });
  }
  return out;
}

type TrieNode<T> = { next: Map<string, TrieNode<T>>; ends: T[] };

/** Matches word sequences against many phrases in one pass: cost grows with the text, not the lists. */
export class PhraseTrie<T> {
  private readonly root: TrieNode<T> = { next: new Map(), ends: [] };

  add(phrase: string, value: T): void {
    const words = wordsWithOffsets(phrase).map((t) => t.word);
    if (words.length === 0) return;
    let node = this.root;
    for (const word of words) {
      let child = node.next.get(word);
      if (!child) {
        child = { next: new Map(), ends: [] };
        node.next.set(word, child);
      }
      node = child;
    }
    node.ends.push(value);
  }

  /** Every match: the value, and the first and last token index it covers. */
  scan(tokens: readonly Token[]): { value: T; first: number; last: number }[] {
    const found: { value: T; first: number; last: number }[] = [];
    for (let i = 0; i < tokens.length; i++) {
      let node: TrieNode<T> | undefined = this.root;
      for (let j = i; j < tokens.length; j++) {
        node = node.next.get(tokens[j]!.word);
        if (!node) break;
        for (const value of node.ends) found.push({ value, first: i, last: j });
      }
    }
    return found;
  }
}

export type Sentence = { start: number; end: number; words: number };

/** Sentence ranges: split after . ! ? followed by space, and at line breaks. */
export function sentences(text: string, tokens: readonly Token[]): Sentence[] {
  const out: Sentence[] = [];
  const boundary = /[.!?]+(?=\s|$)|\n+/g;
  let start = 0;
  const push = (end: number) => {
    const slice = text.slice(start, end);
    const lead = slice.length - slice.trimStart().length;
    const s = start + lead;
    const e = start + slice.trimEnd().length;
    if (e > s) out.push({ start: s, end: e, words: 0 });
  };
  for (const match of text.matchAll(boundary)) {
    const end = match.index + (match[0].startsWith('\n') ? 0 : match[0].length);
    push(end);
    start = match.index + match[0].length;
  }
  push(text.length);
  let k = 0;
  for (const sentence of out) {
    while (k < tokens.length && tokens[k]!.start < sentence.start) k++;
    while (k < tokens.length && tokens[k]!.end <= sentence.end) {
      sentence.words++;
      k++;
    }
  }
  return out.filter((s) => s.words > 0);
}

/** Syllables by the usual vowel-group heuristic: good enough for a grade level. */
export function syllables(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length === 0) return 0;
  if (w.length <= 3) return 1;
  w = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  return Math.max(1, w.match(/[aeiouy]{1,2}/g)?.length ?? 1);
}

/** Flesch–Kincaid grade level of the text. */
export function fleschKincaidGrade(tokens: readonly Token[], sentenceCount: number): number {
  const words = tokens.filter((t) => /\p{L}/u.test(t.word));
  if (words.length === 0) return 0;
  let total = 0;
  for (const t of words) total += syllables(t.word);
  const grade = 0.39 * (words.length / Math.max(1, sentenceCount)) + 11.8 * (total / words.length) - 15.59;
  return Math.round(grade * 10) / 10;
}

/** Whether an offset begins a sentence: only spaces since the text start, a line break or . ! ? */
export function atSentenceStart(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === '\n' || c === '.' || c === '!' || c === '?') return true;
    if (c !== ' ' && c !== '\t' && c !== '\r') return false;
  }
  return true;
}

export const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
