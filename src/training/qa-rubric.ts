// QA rubric arithmetic: weighted totals, automatic suggestions from signals, and calibration between
// reviewers. Pure functions; qa-service.ts stores and loads.
import { z } from 'zod';

export const qaSignals = [
  'empathy',
  'clarity',
  'next_step',
  'blame_free',
  'first_reply_time',
  'resolution',
] as const;
export type QaSignal = (typeof qaSignals)[number];

export const criterionSchema = z.strictObject({
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]+$/)
    .max(40),
  label: z.string().trim().min(1).max(120),
  description: z.string().trim().max(500).default(''),
  /** Relative weight in the total. */
  weight: z.number().int().min(1).max(100),
  /** Scores run 0..max. */
  max: z.number().int().min(1).max(10),
  /** The signal that pre-scores it; none leaves it for the reviewer. */
  signal: z.enum(qaSignals).nullable().default(null),
});
export type Criterion = z.output<typeof criterionSchema>;

export const criteriaSchema = z
  .array(criterionSchema)
  .min(1)
  .max(20)
  .refine((c) => new Set(c.map((x) => x.key)).size === c.length, 'Criterion keys must be unique');

/** Scores by criterion key; a criterion left out (or null) does not apply and leaves the total. */
export type Scores = Record<string, number | null>;

/** Checks scores against the criteria: known keys, whole numbers 0..max; returns the problems. */
export function scoreProblems(criteria: Criterion[], scores: Scores): string[] {
  const byKey = new Map(criteria.map((c) => [c.key, c]));
  const problems: string[] = [];
  for (const [key, value] of Object.entries(scores)) {
    const criterion = byKey.get(key);
    if (!criterion) problems.push(`Unknown criterion "${key}"`);
    else if (value !== null && (!Number.isInteger(value) || value < 0 || value > criterion.max))
      problems.push(`"${key}" takes a whole number from 0 to ${criterion.max}`);
  }
  return problems;
}

function exactTotal(criteria: Criterion[], scores: Scores): number | null {
  let weight = 0;
  let points = 0;
  for (const c of criteria) {
    const value = scores[c.key];
    if (value === null || value === undefined) continue;
    weight += c.weight;
    points += (c.weight * value) / c.max;
  }
  return weight === 0 ? null : (100 * points) / weight;
}

const oneDecimal = (n: number) => Math.round(n * 10) / 10;

/** Weighted percentage 0–100 (one decimal) over the criteria that were scored; null when none were. */
export function rubricTotal(criteria: Criterion[], scores: Scores): number | null {
  const total = exactTotal(criteria, scores);
  return total === null ? null : oneDecimal(total);
}

/** The automatic suggestion: each signal-backed criterion gets its signal (0..1) scaled to 0..max. */
export function suggestedScores(criteria: Criterion[], signals: Partial<Record<QaSignal, number>>): Scores {
  const scores: Scores = {};
  for (const c of criteria) {
    const value = c.signal ? signals[c.signal] : undefined;
    if (value !== undefined) scores[c.key] = Math.round(Math.max(0, Math.min(1, value)) * c.max);
  }
  return scores;
}

export type CriterionSpread = { key: string; min: number; max: number; spread: number; disagree: boolean };
export type Calibration = {
  reviewers: number;
  totals: number[];
  /** Highest minus lowest total, in points of 100. */
  totalSpread: number;
  criteria: CriterionSpread[];
  disagree: boolean;
};

/** Points of 100 between the highest and lowest totals above which reviewers are said to disagree. */
export const TOTAL_SPREAD_LIMIT = 15;

/**
 * How far reviewers of one ticket are apart: per criterion (disagreeing when the spread is half the
 * scale or more) and on the total.
 */
export function calibrate(criteria: Criterion[], reviews: Scores[]): Calibration {
  // The spread comes from the exact totals: rounding each first could move it by a tenth.
  const exact = reviews.map((r) => exactTotal(criteria, r)).filter((t): t is number => t !== null);
  const spreads = criteria.flatMap((c) => {
    const values = reviews.map((r) => r[c.key]).filter((v): v is number => typeof v === 'number');
    if (values.length < 2) return [];
    const min = Math.min(...values);
    const max = Math.max(...values);
    return [{ key: c.key, min, max, spread: max - min, disagree: (max - min) * 2 >= c.max }];
  });
  const totalSpread = exact.length >= 2 ? oneDecimal(Math.max(...exact) - Math.min(...exact)) : 0;
  return {
    reviewers: reviews.length,
    totals: exact.map(oneDecimal),
    totalSpread,
    criteria: spreads,
    disagree: totalSpread > TOTAL_SPREAD_LIMIT || spreads.some((s) => s.disagree),
  };
}

/** The rubric a workspace starts with; every criterion is pre-scored from the ticket's messages. */
export const defaultCriteria: Criterion[] = criteriaSchema.parse([
  { key: 'empathy', label: 'Acknowledged the customer', weight: 20, max: 4, signal: 'empathy' },
  { key: 'clarity', label: 'Clear, plain language', weight: 20, max: 4, signal: 'clarity' },
  { key: 'next_step', label: 'Said what happens next and when', weight: 20, max: 4, signal: 'next_step' },
  { key: 'no_blame', label: 'No blame or defensiveness', weight: 10, max: 2, signal: 'blame_free' },
  { key: 'speed', label: 'First reply in good time', weight: 10, max: 4, signal: 'first_reply_time' },
  { key: 'resolution', label: 'Solved the problem', weight: 20, max: 4, signal: 'resolution' },
]);
