// The simulated customer: a scripted state machine over the moves the reply coach detects in each agent
// reply. Pure and seeded: the same scenario, seed and replies always give the same conversation.
import { replySignals } from '../intel/coach-engine.ts';
import type { CoachRules } from '../intel/coach-rules.ts';
import type { Move, Scenario, State } from './scenario-schema.ts';

export type SimulationState = {
  state: State;
  mood: number;
  /** Replies in a row that ignored the customer. */
  ignored: number;
  revealed: string[];
  empathised: boolean;
  /** The accepted solution's id once offered with the facts it needs. */
  solution: string | null;
  timeFrame: boolean;
  agentTurns: number;
  outcome: 'passed' | 'failed' | null;
  reason: string | null;
};

export type AgentTurnResult = {
  state: SimulationState;
  reply: string;
  moves: Move[];
  revealed: string[];
  moodDelta: number;
};

const DEFAULT_SCRIPT: Record<Move, string[]> = {
  empathy: [
    'Thank you, I appreciate that. So what happens now?',
    'Okay, at least someone is listening. What now?',
  ],
  discovery: ['Sure.'],
  repeated: ['I already told you that.', 'I just answered that. Are you reading my messages?'],
  solution: ['Okay, that sounds like a plan.'],
  solution_early: [
    "That doesn't really fit my situation. You haven't even asked me the details.",
    'How can you suggest that without knowing what actually happened?',
  ],
  solution_no_time: ['And when will that happen, exactly?', 'Fine, but how long will that take?'],
  jargon: ["I'm sorry, I don't understand what that means.", 'Can you say that in plain English?'],
  blame: ["So this is my fault now? That's not okay.", "Don't put this on me."],
  ignored: [
    "You're not really answering me.",
    'That does not help me at all.',
    'Hello? Did you read my message?',
  ],
  escalate: ['This is going nowhere. I want to speak to a manager.'],
  deescalate: ['Alright. I will give you one more chance.'],
  success: ['Thank you, that solves it. I appreciate your help!', "Great, that's all I needed. Thanks!"],
  failure: ["Forget it. I'm taking my business elsewhere.", "I'm done. I'll leave a review about this."],
};

const QUESTION =
  /\?|\b(?:could|can|would|will) you\b|\bplease (?:send|share|tell|confirm|check|provide)\b|\blet me know\b|\bwhat is\b/i;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const mentions = (text: string, keywords: string[]) =>
  keywords.some((k) => new RegExp(`\\b${escapeRegex(k)}`, 'i').test(text));

/** FNV-1a of the seed, turn and move: which variant of a line the customer says. */
function pick(lines: string[], seed: number, turn: number, move: string): string {
  let hash = 0x811c9dc5 ^ seed;
  for (const ch of `${turn}:${move}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
  return lines[(hash >>> 0) % lines.length]!;
}

const clampMood = (mood: number) => Math.max(0, Math.min(10, mood));

export function startSimulation(scenario: Scenario): { state: SimulationState; reply: string } {
  return {
    state: {
      state: 'opening',
      mood: scenario.persona.mood,
      ignored: 0,
      revealed: [],
      empathised: false,
      solution: null,
      timeFrame: false,
      agentTurns: 0,
      outcome: null,
      reason: null,
    },
    reply: scenario.opening,
  };
}

/** Whether the agent's text asks a question that uncovers facts; split into new and already-told ones. */
export function discoveredFacts(scenario: Scenario, text: string, known: string[]) {
  if (!QUESTION.test(text)) return { fresh: [], repeated: [] };
  const asked = scenario.facts.filter((f) => mentions(text, f.keywords));
  return {
    fresh: asked.filter((f) => !known.includes(f.id)),
    repeated: asked.filter((f) => known.includes(f.id)),
  };
}

/** The solution the agent's text offers, if any, by keyword. */
export const offeredSolution = (scenario: Scenario, text: string) =>
  scenario.solutions.find((s) => mentions(text, s.keywords));

/**
 * One agent reply in, the customer's reply out. Ended sessions throw nothing: they answer with no moves,
 * so callers check `state.outcome` first.
 */
export function stepSimulation(
  scenario: Scenario,
  before: SimulationState,
  agentText: string,
  seed: number,
  rules: CoachRules,
): AgentTurnResult {
  const s: SimulationState = { ...before, revealed: [...before.revealed], agentTurns: before.agentTurns + 1 };
  const turn = s.agentTurns;
  const line = (move: Move) => pick(scenario.script[move] ?? DEFAULT_SCRIPT[move], seed, turn, move);
  const signals = replySignals(agentText, rules);
  const moves: Move[] = [];
  const parts: string[] = [];
  let delta = 0;

  if (signals.blame.length > 0) {
    moves.push('blame');
    delta -= 3;
    parts.push(line('blame'));
  } else if (signals.jargon.length > 0) {
    moves.push('jargon');
    delta -= 1;
    parts.push(line('jargon'));
  }
  const firstEmpathy = signals.empathy && !s.empathised;
  if (firstEmpathy) {
    moves.push('empathy');
    delta += 2;
    s.empathised = true;
  }
  const { fresh, repeated } = discoveredFacts(scenario, agentText, s.revealed);
  if (fresh.length > 0) {
    moves.push('discovery');
    delta += 1;
    for (const fact of fresh) {
      s.revealed.push(fact.id);
      parts.push(fact.reply);
    }
  } else if (repeated.length > 0) {
    moves.push('repeated');
    delta -= 1;
    parts.push(line('repeated'));
  }
  const offered = offeredSolution(scenario, agentText);
  let progress = fresh.length > 0 || firstEmpathy;
  if (offered) {
    if (offered.needs.some((id) => !s.revealed.includes(id))) {
      moves.push('solution_early');
      delta -= 1;
      parts.push(line('solution_early'));
    } else {
      s.solution = offered.id;
      progress = true;
    }
  }
  if (s.solution && signals.timeFrame && !s.timeFrame) {
    s.timeFrame = true;
    progress = true;
  }
  const ignored = !progress && !moves.some((m) => m !== 'blame' && m !== 'jargon');
  if (ignored) {
    s.ignored++;
    delta -= scenario.persona.style === 'angry' ? 2 : 1;
  } else s.ignored = 0;
  s.mood = clampMood(s.mood + delta);

  const wasEscalated = s.state === 'escalated';
  const finish = (outcome: 'passed' | 'failed', reason: string, move: Move) => {
    s.outcome = outcome;
    s.reason = reason;
    s.state = outcome === 'passed' ? 'resolved' : 'abandoned';
    moves.push(move);
    parts.push(line(move));
  };
  const { success } = scenario;
  const resolvedNow =
    s.solution !== null &&
    (s.timeFrame || !success.timeFrame) &&
    success.facts.every((id) => s.revealed.includes(id)) &&
    (s.empathised || !success.empathy) &&
    s.mood >= success.minMood;

  if (resolvedNow) {
    s.mood = clampMood(s.mood + 2);
    finish('passed', 'The customer accepted the solution.', 'success');
  } else if (s.mood <= 0) finish('failed', 'The customer ran out of goodwill.', 'failure');
  else if (ignored && wasEscalated) finish('failed', 'Escalated and still ignored.', 'failure');
  else if (ignored && s.ignored >= scenario.persona.patience) {
    s.state = 'escalated';
    moves.push('escalate');
    parts.push(line('escalate'));
  } else if (s.agentTurns >= scenario.maxTurns)
    finish('failed', 'Out of turns without a resolution.', 'failure');
  else {
    if (wasEscalated && !ignored) {
      moves.push('deescalate');
      parts.push(line('deescalate'));
    }
    if (s.solution && !s.timeFrame && success.timeFrame) {
      moves.push('solution_no_time');
      parts.push(line('solution_no_time'));
      s.state = 'resolving';
    } else if (s.solution) {
      moves.push('solution');
      parts.push(line('solution'));
      s.state = 'resolving';
    } else if (progress || s.state !== 'opening') s.state = 'discovery';
    if (ignored) {
      moves.push('ignored');
      parts.push(line('ignored'));
    } else if (firstEmpathy && parts.length === 0) parts.push(line('empathy'));
    else if (parts.length === 0) parts.push(line('discovery'));
  }
  return {
    state: s,
    reply: parts.join(' '),
    moves,
    revealed: fresh.map((f) => f.id),
    moodDelta: s.mood - before.mood,
  };
}
