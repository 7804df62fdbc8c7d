// The reply coach: a pure function of the draft, the customer's last message and the workspace's rules.
// Shared by the console (live, as the agent types) and the API; no Node-only imports.
import type { CoachRules, Rewrite } from './coach-rules.ts';
import {
  atSentenceStart,
  capitalize,
  fleschKincaidGrade,
  PhraseTrie,
  sentences,
  type Token,
  wordsWithOffsets,
} from './coach-text.ts';

export type CoachRule = 'empathy' | 'jargon' | 'blame' | 'next_step' | 'reading_level' | 'style';
export type TextEdit = { start: number; end: number; text: string };
export type CoachFix = { label: string; edits: TextEdit[] };
export type CoachFlag = {
  rule: CoachRule;
  /** English reason; the console words it from `rule` and `params`. */
  message: string;
  params: Record<string, string | number>;
  start?: number;
  end?: number;
  fix?: CoachFix;
  penalty: number;
};
export type CoachResult = {
  score: number;
  flags: CoachFlag[];
  customerUpset: boolean;
  readingGrade: number | null;
  words: number;
};
export type CoachInput = { text: string; customerText?: string | undefined };

type Kind = 'upset' | 'empathy' | 'next' | 'time' | 'jargon' | 'blame' | 'style';
type Entry = { kind: Kind; rewrite?: Rewrite };

/** Rules compile once into one trie; the console and the server reuse it for every keystroke. */
const compiled = new WeakMap<CoachRules, PhraseTrie<Entry>>();

function compile(rules: CoachRules): PhraseTrie<Entry> {
  const cached = compiled.get(rules);
  if (cached) return cached;
  const trie = new PhraseTrie<Entry>();
  for (const phrase of rules.upsetPhrases) trie.add(phrase, { kind: 'upset' });
  for (const phrase of rules.empathyPhrases) trie.add(phrase, { kind: 'empathy' });
  for (const phrase of rules.nextStepPhrases) trie.add(phrase, { kind: 'next' });
  for (const phrase of rules.timeFramePhrases) trie.add(phrase, { kind: 'time' });
  for (const rewrite of rules.jargon) trie.add(rewrite.phrase, { kind: 'jargon', rewrite });
  for (const rewrite of rules.blame) trie.add(rewrite.phrase, { kind: 'blame', rewrite });
  const { formality, banned, casualWords, stiffWords } = rules.style;
  const style = [
    ...banned,
    ...(formality === 'casual' ? [] : casualWords),
    ...(formality === 'formal' ? [] : stiffWords),
  ];
  for (const rewrite of style) trie.add(rewrite.phrase, { kind: 'style', rewrite });
  compiled.set(rules, trie);
  return trie;
}

const TIME_PATTERN =
  /\b(?:\d+|an?|one|two|three|four|five|six|seven|ten|few|couple of)\s*(?:-\s*\d+\s*)?(?:minutes?|mins?|hours?|hrs?|days?|business days?|working days?|weeks?)\b|\b\d{1,2}(?::\d\d)?\s*(?:am|pm)\b/i;
// "Hi Sam," on its own line or opening the first sentence; the acknowledgement goes right after it.
const GREETING =
  /^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^,\n!]{0,40}(?:[,!][ \t]*\n*|\n+)/i;
// A short line of its own: "Thanks for your message…" opening a reply is not a sign-off.
const SIGN_OFF =
  /^(?:thanks|thank you|best|kind regards|regards|cheers|sincerely|all the best|warm regards)\b[^\n]{0,25}$/gim;

/** How upset the customer's message reads: upset phrases, shouting and repeated exclamation marks. */
export function upsetSignals(text: string, rules: CoachRules): string[] {
  const tokens = wordsWithOffsets(text);
  const signals = compile(rules)
    .scan(tokens)
    .filter((m) => m.value.kind === 'upset')
    .map((m) => text.slice(tokens[m.first]!.start, tokens[m.last]!.end).toLowerCase());
  const shouted = text.match(/\b[A-Z]{4,}\b/g)?.length ?? 0;
  if (shouted >= 2) signals.push('shouting');
  if (/[!?]{2,}/.test(text)) signals.push('!!');
  return signals;
}

/** What a reply does, phrase by phrase: the signals the coach scores, for callers that react to them (training). */
export type ReplySignals = {
  empathy: boolean;
  nextStep: boolean;
  timeFrame: boolean;
  jargon: string[];
  blame: string[];
};

export function replySignals(text: string, rules: CoachRules): ReplySignals {
  const tokens = wordsWithOffsets(text);
  const matches = compile(rules).scan(tokens);
  const has = (kind: Kind) => matches.some((m) => m.value.kind === kind);
  const phrases = (kind: Kind) =>
    matches
      .filter((m) => m.value.kind === kind)
      .map((m) => text.slice(tokens[m.first]!.start, tokens[m.last]!.end));
  return {
    empathy: has('empathy'),
    nextStep: has('next'),
    timeFrame: has('time') || TIME_PATTERN.test(text),
    jargon: phrases('jargon'),
    blame: phrases('blame'),
  };
}

/** The edit that swaps a matched phrase for its rewrite, keeping sentence case and tidy spacing. */
function rewriteEdit(text: string, start: number, end: number, replacement: string): TextEdit {
  const sentenceStart = atSentenceStart(text, start);
  if (replacement) return { start, end, text: sentenceStart ? capitalize(replacement) : replacement };
  // Removing a phrase also removes the comma and space after it; a sentence start gets its capital back.
  const rest = /^[,;:]?\s*/.exec(text.slice(end))![0];
  const after = end + rest.length;
  const next = text.charAt(after);
  if (sentenceStart && next) return { start, end: after + 1, text: next.toUpperCase() };
  return { start, end: after, text: '' };
}

function rewriteFlags(text: string, tokens: Token[], matches: ReturnType<PhraseTrie<Entry>['scan']>) {
  const flags: { kind: 'jargon' | 'blame' | 'style'; start: number; end: number; rewrite: Rewrite }[] = [];
  // Longest phrase first at each place; overlapping shorter ones would fight over the same words.
  const candidates = matches
    .filter((m) => m.value.rewrite)
    .sort((a, b) => a.first - b.first || b.last - a.last);
  let taken = -1;
  for (const m of candidates) {
    if (m.first <= taken) continue;
    taken = m.last;
    flags.push({
      kind: m.value.kind as 'jargon' | 'blame' | 'style',
      start: tokens[m.first]!.start,
      end: tokens[m.last]!.end,
      rewrite: m.value.rewrite!,
    });
  }
  return flags.map((f) => ({ ...f, edit: rewriteEdit(text, f.start, f.end, f.rewrite.replacement) }));
}

/** Splits the longest sentence at its first ", and" / ", but" / ", so" / ";" into two. */
function splitSentenceFix(text: string, longest: { start: number; end: number }): CoachFix | undefined {
  const slice = text.slice(longest.start, longest.end);
  const match = /(, and |, so |, but |; )(\p{L})/u.exec(slice);
  if (!match) return undefined;
  const start = longest.start + match.index;
  const end = start + match[0].length;
  const joiner = match[1] === ', but ' ? 'But ' : match[1] === ', so ' ? 'So ' : '';
  const letter = joiner ? match[2]! : match[2]!.toUpperCase();
  return { label: 'Split the longest sentence', edits: [{ start, end, text: `. ${joiner}${letter}` }] };
}

function insertOpener(text: string, opener: string): TextEdit {
  const greeting = GREETING.exec(text);
  const at = greeting ? greeting[0].length : 0;
  return { start: at, end: at, text: `${opener} ` };
}

function insertNextStep(text: string, sentence: string): TextEdit {
  const signOff = [...text.matchAll(SIGN_OFF)].at(-1);
  if (signOff && signOff.index > 0)
    return { start: signOff.index, end: signOff.index, text: `${sentence}\n\n` };
  const trimmed = text.trimEnd().length;
  const stop = /[.!?]$/.test(text.slice(0, trimmed)) ? ' ' : '. ';
  return { start: trimmed, end: trimmed, text: `${stop}${sentence}` };
}

/**
 * Checks a reply draft: flags, each with a reason and usually a one-click fix, and a 0–100 score.
 * Empty drafts score 100 with no flags; rules that need a sentence or two wait for enough words.
 */
export function checkReply(input: CoachInput, rules: CoachRules): CoachResult {
  const { text } = input;
  const tokens = wordsWithOffsets(text);
  const matches = compile(rules).scan(tokens);
  const has = (kind: Kind) => matches.some((m) => m.value.kind === kind);
  const flags: CoachFlag[] = [];
  const p = rules.penalties;
  const customerUpset = input.customerText ? upsetSignals(input.customerText, rules).length > 0 : false;

  if (customerUpset && tokens.length >= 3 && !has('empathy')) {
    flags.push({
      rule: 'empathy',
      message: 'The customer sounds upset and the reply does not acknowledge how they feel.',
      params: {},
      fix: { label: 'Add an acknowledgement', edits: [insertOpener(text, rules.empathyOpener)] },
      penalty: p.empathy,
    });
  }
  for (const f of rewriteFlags(text, tokens, matches)) {
    const phrase = text.slice(f.start, f.end);
    const replacement = f.rewrite.replacement;
    const advice = replacement ? `try “${replacement}”` : 'try leaving it out';
    const what =
      f.kind === 'jargon'
        ? 'is jargon or policy-speak'
        : f.kind === 'blame'
          ? 'sounds defensive or blaming'
          : 'does not fit the style guide';
    flags.push({
      rule: f.kind,
      message: `“${phrase}” ${what}: ${advice}.`,
      params: { phrase, replacement },
      start: f.start,
      end: f.end,
      fix: { label: replacement ? `Use “${replacement}”` : `Remove “${phrase}”`, edits: [f.edit] },
      penalty: f.kind === 'jargon' ? p.jargon : f.kind === 'blame' ? p.blame : p.style,
    });
  }
  if (tokens.length >= 8 && !has('next') && !has('time') && !TIME_PATTERN.test(text)) {
    flags.push({
      rule: 'next_step',
      message: 'No next step or time frame: say what happens next and when.',
      params: {},
      fix: { label: 'Add a next step', edits: [insertNextStep(text, rules.nextStepSentence)] },
      penalty: p.nextStep,
    });
  }
  let readingGrade: number | null = null;
  if (tokens.length >= 20) {
    const parts = sentences(text, tokens);
    readingGrade = fleschKincaidGrade(tokens, parts.length);
    if (readingGrade > rules.maxGrade) {
      const longest = parts.reduce((a, b) => (b.words > a.words ? b : a));
      const fix = splitSentenceFix(text, longest);
      flags.push({
        rule: 'reading_level',
        message: `Reading level is grade ${readingGrade}; aim for ${rules.maxGrade} or lower with shorter sentences and plainer words.`,
        params: { grade: readingGrade, max: rules.maxGrade },
        start: longest.start,
        end: longest.end,
        ...(fix && { fix }),
        penalty: Math.min(p.readingLevel, Math.ceil((readingGrade - rules.maxGrade) * 5)),
      });
    }
  }
  return { score: score(flags, p.maxPerRule), flags, customerUpset, readingGrade, words: tokens.length };
}

function score(flags: CoachFlag[], maxPerRule: number): number {
  const perRule = new Map<CoachRule, number>();
  for (const flag of flags) perRule.set(flag.rule, (perRule.get(flag.rule) ?? 0) + flag.penalty);
  let total = 0;
  for (const points of perRule.values()) total += Math.min(points, maxPerRule);
  return Math.max(0, Math.min(100, 100 - total));
}

/** Applies a fix's edits (offsets into the text the fix was made for). */
export function applyFix(text: string, fix: CoachFix): string {
  let out = text;
  for (const edit of [...fix.edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
