import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wallClock } from './business-time.ts';
import {
  localDate,
  nextOccurrence,
  normaliseRule,
  type RecurrenceRule,
  ruleIssues,
} from './recurring-rule.ts';

const at = (iso: string) => new Date(iso);
const next = (rule: RecurrenceRule, after: string) => nextOccurrence(rule, at(after)).toISOString();

describe('next occurrence, by hand', () => {
  const mondays: RecurrenceRule = {
    frequency: 'weekly',
    weekdays: [1],
    time: '09:00',
    timeZone: 'Europe/Berlin',
  };

  it('keeps Monday 09:00 in Berlin across both DST changes', () => {
    // Monday 24 March 2025 09:00 CET; clocks go forward on Sunday 30th; Monday 31st 09:00 CEST.
    expect(next(mondays, '2025-03-24T07:59:00Z')).toBe('2025-03-24T08:00:00.000Z');
    expect(next(mondays, '2025-03-24T08:00:00Z')).toBe('2025-03-31T07:00:00.000Z');
    expect(next(mondays, '2025-03-25T12:00:00Z')).toBe('2025-03-31T07:00:00.000Z');
    // Back on Sunday 26 October: Monday 27th 09:00 CET.
    expect(next(mondays, '2025-10-21T12:00:00Z')).toBe('2025-10-27T08:00:00.000Z');
  });

  it('picks the next chosen weekday, wrapping over the weekend', () => {
    const mwf: RecurrenceRule = {
      frequency: 'weekly',
      weekdays: [5, 1, 3, 1],
      time: '18:00',
      timeZone: 'UTC',
    };
    expect(next(mwf, '2025-06-06T18:00:00Z')).toBe('2025-06-09T18:00:00.000Z');
    expect(next(mwf, '2025-06-09T18:00:00Z')).toBe('2025-06-11T18:00:00.000Z');
  });

  it('opens a time skipped by the spring jump an hour later, and a repeated time once', () => {
    const daily = (time: string): RecurrenceRule => ({
      frequency: 'daily',
      time,
      timeZone: 'America/New_York',
    });
    // 9 March 2025 02:30 does not exist in New York: 03:30 EDT.
    expect(next(daily('02:30'), '2025-03-08T12:00:00Z')).toBe('2025-03-09T07:30:00.000Z');
    expect(next(daily('02:30'), '2025-03-09T07:30:00Z')).toBe('2025-03-10T06:30:00.000Z');
    // 2 November 2025 01:30 happens twice (EDT, then EST): the first only, and the next day after it.
    expect(next(daily('01:30'), '2025-11-01T12:00:00Z')).toBe('2025-11-02T05:30:00.000Z');
    expect(next(daily('01:30'), '2025-11-02T05:30:00Z')).toBe('2025-11-03T06:30:00.000Z');
  });

  it('clamps a day past the month end to its last day, leap years included', () => {
    const the31st: RecurrenceRule = { frequency: 'monthly', dayOfMonth: 31, time: '08:00', timeZone: 'UTC' };
    expect(next(the31st, '2025-01-31T09:00:00Z')).toBe('2025-02-28T08:00:00.000Z');
    expect(next(the31st, '2024-01-31T09:00:00Z')).toBe('2024-02-29T08:00:00.000Z');
    expect(next(the31st, '2025-02-28T08:00:00Z')).toBe('2025-03-31T08:00:00.000Z');
    expect(next(the31st, '2025-04-15T00:00:00Z')).toBe('2025-04-30T08:00:00.000Z');
  });

  it("opens on the month's last day in Sydney, whose offset changes in between", () => {
    const last: RecurrenceRule = {
      frequency: 'monthly',
      dayOfMonth: 'last',
      time: '17:00',
      timeZone: 'Australia/Sydney',
    };
    // 31 March 2025 17:00 AEDT (+11); DST ends 6 April; 30 April 17:00 AEST (+10).
    expect(next(last, '2025-03-15T00:00:00Z')).toBe('2025-03-31T06:00:00.000Z');
    expect(next(last, '2025-03-31T06:00:00Z')).toBe('2025-04-30T07:00:00.000Z');
  });

  it('rolls the first of the month over the new year in a half-hour zone', () => {
    const first: RecurrenceRule = {
      frequency: 'monthly',
      dayOfMonth: 1,
      time: '09:00',
      timeZone: 'Asia/Kolkata',
    };
    expect(next(first, '2025-12-15T00:00:00Z')).toBe('2026-01-01T03:30:00.000Z');
    expect(localDate(first, at('2025-12-31T20:00:00Z'))).toBe('2026-01-01');
  });

  it('reports an unknown zone and a week without days', () => {
    expect(
      ruleIssues({ frequency: 'weekly', weekdays: [], time: '09:00', timeZone: 'Mars/Olympus' }),
    ).toEqual([
      { path: 'rule.timeZone', message: 'not an IANA time zone' },
      { path: 'rule.weekdays', message: 'pick at least one day' },
    ]);
    expect(ruleIssues(mondays)).toEqual([]);
    expect(normaliseRule({ ...mondays, weekdays: [5, 1, 5, 0] })).toEqual({
      ...mondays,
      weekdays: [0, 1, 5],
    });
  });
});

const zones = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/Santiago',
  'Pacific/Chatham',
];
const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const ruleArb: fc.Arbitrary<RecurrenceRule> = fc.oneof(
  fc.record({ frequency: fc.constant('daily' as const), time, timeZone: fc.constantFrom(...zones) }),
  fc.record({
    frequency: fc.constant('weekly' as const),
    weekdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    time,
    timeZone: fc.constantFrom(...zones),
  }),
  fc.record({
    frequency: fc.constant('monthly' as const),
    dayOfMonth: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constant('last' as const)),
    time,
    timeZone: fc.constantFrom(...zones),
  }),
);
const instant = fc.date({
  min: new Date('2024-01-01T00:00:00Z'),
  max: new Date('2028-01-01T00:00:00Z'),
  noInvalidDate: true,
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const wallTime = (rule: RecurrenceRule, when: Date) =>
  new Date(wallClock(when.getTime(), rule.timeZone)).toISOString().slice(11, 16);
const offsetAt = (rule: RecurrenceRule, ms: number) => wallClock(ms, rule.timeZone) - ms;

/** Whether the rule's calendar picks the local date (YYYY-MM-DD), written independently of the module. */
function picksDate(rule: RecurrenceRule, date: string): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  if (rule.frequency === 'daily') return true;
  if (rule.frequency === 'weekly') return rule.weekdays.includes(new Date(Date.UTC(y, m - 1, d)).getUTCDay());
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d === (rule.dayOfMonth === 'last' ? last : Math.min(rule.dayOfMonth, last));
}

describe('next occurrence, properties', () => {
  it('is later, on a day the rule picks, at its wall time unless a DST jump skipped that time', () => {
    fc.assert(
      fc.property(ruleArb, instant, (rule, after) => {
        const found = nextOccurrence(rule, after);
        expect(found.getTime()).toBeGreaterThan(after.getTime());
        if (wallTime(rule, found) === rule.time) {
          expect(picksDate(rule, localDate(rule, found))).toBe(true);
        } else {
          // Pushed forward by a jump: the offset changed within the last few hours, on a picked day.
          expect(offsetAt(rule, found.getTime() - 3 * HOUR)).not.toBe(offsetAt(rule, found.getTime()));
          const day = localDate(rule, new Date(found.getTime() - 3 * HOUR));
          expect(picksDate(rule, day) || picksDate(rule, localDate(rule, found))).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('skips no occurrence: nothing the rule picks lies between the moment asked and the answer', () => {
    // Independent of the module's zone arithmetic: try every offset real zones use, in quarter hours.
    const offsets = Array.from({ length: 113 }, (_, i) => (i - 56) * 15 * 60_000);
    fc.assert(
      fc.property(ruleArb, instant, (rule, after) => {
        const found = nextOccurrence(rule, after).getTime();
        const [h, m] = rule.time.split(':').map(Number) as [number, number];
        const firstDay = Math.floor(wallClock(after.getTime(), rule.timeZone) / DAY) * DAY;
        for (let day = firstDay; day <= wallClock(found, rule.timeZone); day += DAY) {
          if (!picksDate(rule, new Date(day).toISOString().slice(0, 10))) continue;
          const wall = day + (h * 60 + m) * 60_000;
          for (const offset of offsets) {
            const candidate = wall - offset;
            if (
              candidate > after.getTime() &&
              candidate < found &&
              wallClock(candidate, rule.timeZone) === wall
            )
              expect.fail(
                `${JSON.stringify(rule)} after ${after.toISOString()}: missed ${new Date(candidate).toISOString()}`,
              );
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is at most a day or so away for a daily rule, and chains without repeating', () => {
    fc.assert(
      fc.property(ruleArb, instant, (rule, after) => {
        const first = nextOccurrence(rule, after);
        const second = nextOccurrence(rule, first);
        expect(second.getTime()).toBeGreaterThan(first.getTime());
        if (rule.frequency === 'daily')
          expect(first.getTime() - after.getTime()).toBeLessThanOrEqual(DAY + 2 * HOUR);
        expect(nextOccurrence(rule, new Date(first.getTime() - 1)).getTime()).toBe(first.getTime());
      }),
      { numRuns: 500 },
    );
  });
});
