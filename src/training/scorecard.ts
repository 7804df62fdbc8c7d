// The end-of-session scorecard: six dimensions, each with the agent's own lines quoted and a better
// phrasing. Pure: the knowledge-base text comes in from the caller (training-service looks it up).
import { applyFix, checkReply } from '../intel/coach-engine.ts';
import type { CoachRules } from '../intel/coach-rules.ts';
import type { Move, Scenario } from './scenario-schema.ts';
import type { SimulationState } from './simulation-engine.ts';

export type TranscriptEntry = {
  role: 'customer' | 'agent';
  text: string;
  at: string;
  moves?: Move[];
  mood?: number;
};
export type Quote = { text: string; note: string; better?: string };
export const dimensions = [
  'empathy',
  'clarity',
  'discovery',
  'resolution',
  'timeToRespond',
  'kbConsistency',
] as const;
export type Dimension = (typeof dimensions)[number];
export type DimensionScore = { score: number; summary: string; quotes: Quote[] };
export type Scorecard = {
  outcome: 'passed' | 'failed';
  reason: string;
  overall: number;
  dimensions: Record<Dimension, DimensionScore>;
};
export type KbText = { title: string; slug: string | null; text: string };

/** Replies this fast or faster score full marks; this slow or slower score zero. */
const FAST_SECONDS = 30;
const SLOW_SECONDS = 300;
const CLAIM =
  /\$\s?\d+(?:[.,]\d+)?|\b\d+(?:[.,]\d+)?\s*(?:%|percent|minutes?|hours?|business days?|working days?|days?|weeks?|months?|years?)(?![\p{L}])/giu;

const normalise = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').replace(/\$\s/g, '$');
const claimsIn = (text: string) => [...text.matchAll(CLAIM)].map((m) => normalise(m[0]));
const clamp = (n: number) => Math.max(0, Math.min(100, Math.round(n)));
const sentenceWith = (text: string, needle: RegExp) =>
  text
    .split(/(?<=[.!?])\s+|\n+/)
    .find((s) => needle.test(s))
    ?.trim();

type Pair = { agent: TranscriptEntry; customer: TranscriptEntry };

function pairs(transcript: TranscriptEntry[]): Pair[] {
  const out: Pair[] = [];
  let customer: TranscriptEntry | undefined;
  for (const entry of transcript) {
    if (entry.role === 'customer') customer = entry;
    else if (customer) out.push({ agent: entry, customer });
  }
  return out;
}

function empathy(scenario: Scenario, turns: Pair[], rules: CoachRules): DimensionScore {
  const first = turns.findIndex((t) => t.agent.moves?.includes('empathy'));
  const opening = turns[0];
  if (!opening) return { score: 0, summary: 'No replies.', quotes: [] };
  const needed = scenario.success.empathy || scenario.persona.mood <= 4;
  const blamed = turns.filter((t) => t.agent.moves?.includes('blame'));
  const quotes: Quote[] = blamed.map((t) => {
    const flag = checkReply({ text: t.agent.text }, rules).flags.find((f) => f.rule === 'blame');
    return {
      text: t.agent.text,
      note: 'Sounds like blaming the customer.',
      ...(flag?.fix && { better: applyFix(t.agent.text, flag.fix) }),
    };
  });
  let score = first === 0 ? 100 : first > 0 ? 60 : needed ? 0 : 70;
  if (first >= 0)
    quotes.unshift({ text: turns[first]!.agent.text, note: 'Acknowledged how the customer feels.' });
  if (first !== 0) {
    const text = opening.agent.text;
    const flag = checkReply({ text, customerText: opening.customer.text }, rules).flags.find(
      (f) => f.rule === 'empathy',
    );
    quotes.push({
      text,
      note: 'The first reply does not acknowledge the customer.',
      better: flag?.fix ? applyFix(text, flag.fix) : `${rules.empathyOpener} ${text}`,
    });
  }
  score -= 25 * blamed.length;
  const summary =
    first === 0
      ? 'Acknowledged the customer from the first reply.'
      : first > 0
        ? 'Acknowledged late.'
        : 'Never acknowledged.';
  return { score: clamp(score), summary, quotes };
}

function clarity(turns: Pair[], rules: CoachRules): DimensionScore {
  const quotes: Quote[] = [];
  let total = 0;
  for (const { agent } of turns) {
    const flags = checkReply({ text: agent.text }, rules).flags.filter(
      (f) => f.rule === 'jargon' || f.rule === 'reading_level' || f.rule === 'style',
    );
    let penalty = 0;
    for (const flag of flags) {
      penalty += flag.penalty * 2;
      quotes.push({
        text: agent.text,
        note: flag.message,
        ...(flag.fix && { better: applyFix(agent.text, flag.fix) }),
      });
    }
    total += Math.max(0, 100 - penalty);
  }
  const score = turns.length ? total / turns.length : 0;
  return {
    score: clamp(score),
    summary: quotes.length ? `${quotes.length} unclear phrasings.` : 'Plain and clear.',
    quotes,
  };
}

function discovery(scenario: Scenario, turns: Pair[], state: SimulationState): DimensionScore {
  const quotes: Quote[] = turns
    .filter((t) => t.agent.moves?.includes('discovery'))
    .map((t) => ({ text: t.agent.text, note: 'Uncovered what the customer had not said.' }));
  for (const fact of scenario.facts.filter((f) => !state.revealed.includes(f.id)))
    quotes.push({ text: '', note: `Never found out: ${fact.fact}.`, better: fact.ask });
  const all = scenario.facts.length;
  const score = all ? (100 * state.revealed.length) / all : 100;
  return {
    score: clamp(score),
    summary: `Uncovered ${state.revealed.length} of ${all} hidden facts.`,
    quotes,
  };
}

function resolution(scenario: Scenario, turns: Pair[], state: SimulationState): DimensionScore {
  const offered = turns.filter((t) =>
    t.agent.moves?.some((m) => m === 'success' || m.startsWith('solution')),
  );
  const early = turns.some((t) => t.agent.moves?.includes('solution_early'));
  const score =
    state.outcome === 'passed'
      ? 100
      : state.solution && !state.timeFrame
        ? 60
        : state.solution
          ? 70
          : early
            ? 30
            : 0;
  const quotes: Quote[] = offered.map((t) => ({
    text: t.agent.text,
    note: t.agent.moves?.includes('solution_early')
      ? 'Offered a fix before knowing the facts.'
      : 'Offered a fix.',
  }));
  if (state.outcome !== 'passed')
    quotes.push({ text: '', note: 'A resolution that works here:', better: scenario.success.example });
  const summary =
    state.outcome === 'passed'
      ? 'Resolved with a concrete fix and a time frame.'
      : state.solution
        ? 'A fix, but the customer was not won over.'
        : 'No concrete fix.';
  return { score, summary, quotes };
}

function timeToRespond(turns: Pair[]): DimensionScore {
  const waits = turns.map((t) => ({
    text: t.agent.text,
    seconds: Math.max(0, (Date.parse(t.agent.at) - Date.parse(t.customer.at)) / 1000),
  }));
  if (waits.length === 0) return { score: 0, summary: 'No replies.', quotes: [] };
  const average = waits.reduce((sum, w) => sum + w.seconds, 0) / waits.length;
  const score = 100 * (1 - (average - FAST_SECONDS) / (SLOW_SECONDS - FAST_SECONDS));
  const slowest = waits.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  const quotes: Quote[] =
    slowest.seconds > FAST_SECONDS
      ? [
          {
            text: slowest.text,
            note: `Took ${Math.round(slowest.seconds)} s.`,
            better: 'Send a short acknowledgement first, then the details in a second reply.',
          },
        ]
      : [];
  return { score: clamp(score), summary: `Average reply after ${Math.round(average)} s.`, quotes };
}

function kbConsistency(scenario: Scenario, turns: Pair[], knowledge: KbText[]): DimensionScore {
  const reference = normalise(
    [...knowledge.map((k) => k.text), ...scenario.kb.flatMap((k) => k.claims)].join('\n'),
  );
  const quotes: Quote[] = [];
  let claims = 0;
  let consistent = 0;
  for (const { agent } of turns) {
    for (const claim of claimsIn(agent.text)) {
      claims++;
      if (reference.includes(claim)) {
        consistent++;
        continue;
      }
      const unit = claim.replace(/^[$\d.,\s]+/, '').split(' ')[0] ?? '';
      const pattern = unit ? new RegExp(`\\d+\\s*${unit.replace(/s$/, '')}`, 'i') : /\d/;
      const source = knowledge.find((k) => pattern.test(k.text));
      const better = source
        ? sentenceWith(source.text, pattern)
        : scenario.kb.flatMap((k) => k.claims).find((c) => pattern.test(c));
      quotes.push({
        text: agent.text,
        note: `“${claim}” is not what the knowledge base says${source ? ` (“${source.title}”)` : ''}.`,
        ...(better && { better }),
      });
    }
  }
  const score = claims ? (100 * consistent) / claims : 100;
  const summary = claims
    ? `${consistent} of ${claims} promises match the knowledge base.`
    : 'No promises of time or money to check.';
  return { score: clamp(score), summary, quotes };
}

/** Scores a finished (or abandoned) session from its transcript and the engine's last state. */
export function scoreSession(input: {
  scenario: Scenario;
  transcript: TranscriptEntry[];
  state: SimulationState;
  rules: CoachRules;
  knowledge: KbText[];
}): Scorecard {
  const { scenario, state, rules } = input;
  const turns = pairs(input.transcript);
  const scores: Record<Dimension, DimensionScore> = {
    empathy: empathy(scenario, turns, rules),
    clarity: clarity(turns, rules),
    discovery: discovery(scenario, turns, state),
    resolution: resolution(scenario, turns, state),
    timeToRespond: timeToRespond(turns),
    kbConsistency: kbConsistency(scenario, turns, input.knowledge),
  };
  const overall = clamp(dimensions.reduce((sum, d) => sum + scores[d].score, 0) / dimensions.length);
  return {
    outcome: state.outcome ?? 'failed',
    reason: state.reason ?? 'Finished before the customer was helped.',
    overall,
    dimensions: scores,
  };
}
