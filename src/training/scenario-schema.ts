// A role-play scenario is data: built-ins live in scenario-library.ts, admins store their own as JSON
// validated by this schema. The engine (simulation-engine.ts) needs nothing else to play one.
import { z } from 'zod';

const line = z.string().trim().min(1).max(600);
const lines = z.array(line).min(1).max(8);
const keyword = z.string().trim().toLowerCase().min(2).max(60);
const keywords = z.array(keyword).min(1).max(30);

export const moods = z.number().int().min(0).max(10);

export const personaSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  /** 0 furious … 10 delighted; where the conversation starts. */
  mood: moods,
  /** How many replies that ignore the customer they take before asking for a manager. */
  patience: z.number().int().min(1).max(5),
  style: z.enum(['terse', 'chatty', 'formal', 'anxious', 'angry', 'confused']),
});

/** Something the customer knows but says only when asked: a question with one of the keywords uncovers it. */
export const hiddenFactSchema = z.strictObject({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]+$/)
    .max(40),
  fact: line,
  keywords,
  /** What the customer answers when asked. */
  reply: line,
  /** A question that would uncover it, shown on the scorecard when the agent never asked. */
  ask: line,
});

/** A concrete fix the customer accepts; the keywords recognise it in the agent's reply. */
export const solutionSchema = z.strictObject({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]+$/)
    .max(40),
  keywords,
  /** The facts the agent must know before this fix makes sense. */
  needs: z.array(z.string()).max(10).default([]),
});

/** A knowledge-base article that applies: found by `query`; `claims` are what the policy says when the workspace has no article. */
export const kbRefSchema = z.strictObject({
  query: z.string().trim().min(2).max(200),
  claims: z.array(z.string().trim().min(1).max(120)).max(10).default([]),
});

export const states = ['opening', 'discovery', 'resolving', 'escalated', 'resolved', 'abandoned'] as const;
export const moves = [
  'empathy',
  'discovery',
  'repeated',
  'solution',
  'solution_early',
  'solution_no_time',
  'jargon',
  'blame',
  'ignored',
  'escalate',
  'deescalate',
  'success',
  'failure',
] as const;
export type Move = (typeof moves)[number];
export type State = (typeof states)[number];

/** The customer's lines per detected move (several variants, picked by the session's seed). */
export const scriptSchema = z.partialRecord(z.enum(moves), lines);

export const successSchema = z.strictObject({
  facts: z.array(z.string()).max(10).default([]),
  empathy: z.boolean().default(true),
  timeFrame: z.boolean().default(true),
  minMood: moods.default(5),
  /** A model answer for the scorecard's better phrasing of the resolution. */
  example: line,
});

export const scenarioSchema = z
  .strictObject({
    key: z
      .string()
      .trim()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
      .max(60),
    title: z.string().trim().min(3).max(120),
    category: z.string().trim().min(2).max(60),
    difficulty: z.enum(['easy', 'medium', 'hard']),
    persona: personaSchema,
    /** What the agent is told before starting. */
    situation: line,
    /** The customer's first message. */
    opening: line,
    facts: z.array(hiddenFactSchema).max(10),
    solutions: z.array(solutionSchema).min(1).max(10),
    kb: z.array(kbRefSchema).max(5).default([]),
    success: successSchema,
    script: scriptSchema.default({}),
    maxTurns: z.number().int().min(2).max(30).default(8),
  })
  .superRefine((s, ctx) => {
    const ids = new Set(s.facts.map((f) => f.id));
    const missing = [...s.success.facts, ...s.solutions.flatMap((x) => x.needs)].filter((id) => !ids.has(id));
    for (const id of new Set(missing))
      ctx.addIssue({ code: 'custom', path: ['success', 'facts'], message: `Unknown fact id "${id}"` });
    if (ids.size !== s.facts.length)
      ctx.addIssue({ code: 'custom', path: ['facts'], message: 'Fact ids must be unique' });
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** A hidden fact, the keywords of a question that uncovers it, and what the customer then says. */
export const fact = (id: string, keywords: string[], fact: string, reply: string, ask: string) => ({
  id,
  keywords,
  fact,
  reply,
  ask,
});
