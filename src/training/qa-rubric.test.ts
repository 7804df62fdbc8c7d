import { describe, expect, it } from 'vitest';
import { defaultCoachRules } from '../intel/coach-rules.ts';
import { calibrate, criteriaSchema, rubricTotal, scoreProblems, suggestedScores } from './qa-rubric.ts';
import { ticketSignals } from './qa-signals.ts';

const criteria = criteriaSchema.parse([
  { key: 'empathy', label: 'Empathy', weight: 30, max: 4, signal: 'empathy' },
  { key: 'accuracy', label: 'Accuracy', weight: 50, max: 5 },
  { key: 'tone', label: 'Tone', weight: 20, max: 2, signal: 'blame_free' },
]);

describe('QA rubric arithmetic', () => {
  it('weighs each criterion by its share of its own scale', () => {
    // 30·(3/4) + 50·(4/5) + 20·(2/2) = 22.5 + 40 + 20 = 82.5 of 100
    expect(rubricTotal(criteria, { empathy: 3, accuracy: 4, tone: 2 })).toBe(82.5);
    expect(rubricTotal(criteria, { empathy: 0, accuracy: 0, tone: 0 })).toBe(0);
    expect(rubricTotal(criteria, { empathy: 4, accuracy: 5, tone: 2 })).toBe(100);
  });

  it('leaves criteria that do not apply out of the total, and has no total when none apply', () => {
    // (30·1 + 20·0.5) / (30 + 20) = 40 / 50
    expect(rubricTotal(criteria, { empathy: 4, accuracy: null, tone: 1 })).toBe(80);
    expect(rubricTotal(criteria, { accuracy: null })).toBeNull();
    // 50·(1/5) / 50 = 20 %, rounded to one decimal: 1/3 of a scale stays readable.
    expect(rubricTotal(criteria, { accuracy: 1 })).toBe(20);
    expect(rubricTotal(criteriaSchema.parse([{ key: 'a', label: 'A', weight: 1, max: 3 }]), { a: 1 })).toBe(
      33.3,
    );
  });

  it('refuses unknown criteria and scores off the scale', () => {
    expect(scoreProblems(criteria, { empathy: 5, tone: 1.5, speed: 1 })).toEqual([
      '"empathy" takes a whole number from 0 to 4',
      '"tone" takes a whole number from 0 to 2',
      'Unknown criterion "speed"',
    ]);
    expect(criteriaSchema.safeParse([...criteria, criteria[0]]).success).toBe(false);
  });

  it('scales signals onto each criterion and leaves the rest to the reviewer', () => {
    expect(suggestedScores(criteria, { empathy: 0.6, blame_free: 1, clarity: 1 })).toEqual({
      empathy: 2,
      tone: 2,
    });
  });

  it('measures how far reviewers are apart, per criterion and on the total', () => {
    const close = calibrate(criteria, [
      { empathy: 3, accuracy: 4, tone: 2 },
      { empathy: 4, accuracy: 4, tone: 2 },
    ]);
    expect(close).toMatchObject({ reviewers: 2, totals: [82.5, 90], totalSpread: 7.5, disagree: false });
    const apart = calibrate(criteria, [
      { empathy: 4, accuracy: 5, tone: 2 },
      { empathy: 1, accuracy: 3, tone: 2 },
      { empathy: 2, accuracy: 4, tone: 2 },
    ]);
    expect(apart.totalSpread).toBe(100 - (7.5 + 30 + 20));
    expect(apart.criteria).toEqual([
      { key: 'empathy', min: 1, max: 4, spread: 3, disagree: true },
      { key: 'accuracy', min: 3, max: 5, spread: 2, disagree: false },
      { key: 'tone', min: 2, max: 2, spread: 0, disagree: false },
    ]);
    expect(apart.disagree).toBe(true);
  });
});

describe('ticket signals', () => {
  const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1) + minutes * 60_000);
  it('reads empathy, next steps, blame and speed from the thread', () => {
    const signals = ticketSignals(
      [
        { kind: 'customer_message', text: 'This is the third time, I am so frustrated!!', at: at(0) },
        { kind: 'internal_note', text: 'You should have seen this earlier.', at: at(5) },
        { kind: 'public_reply', text: "I'm sorry. I will send a new one today.", at: at(30) },
        { kind: 'customer_message', text: 'Thanks.', at: at(40) },
        { kind: 'public_reply', text: 'You should have told us sooner.', at: at(50) },
      ],
      'solved',
      defaultCoachRules,
    );
    expect(signals).toEqual({
      empathy: 1,
      clarity: 1,
      next_step: 0.5,
      blame_free: 0,
      first_reply_time: 1,
      resolution: 1,
    });
    expect(
      ticketSignals([{ kind: 'customer_message', text: 'Hi', at: at(0) }], 'solved', defaultCoachRules),
    ).toEqual({});
  });
});
