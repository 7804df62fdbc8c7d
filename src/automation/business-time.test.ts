import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  type BusinessSchedule,
  businessMinutesBetween,
  isBusinessTime,
} from './business-time.ts';

const weekdays = (
  timeZone: string,
  start = '09:00',
  end = '17:00',
  holidays: string[] = [],
): BusinessSchedule => ({
  timeZone,
  hours: [1, 2, 3, 4, 5].map((day) => ({ day, start, end })),
  holidays,
});
const at = (iso: string) => new Date(iso);

describe('business minutes, by hand', () => {
  const paris = weekdays('Europe/Paris');

  it('carries Friday afternoon over a weekend with a DST change to Monday morning', () => {
    // Friday 27 March 2026 16:00 CET; clocks go forward on Sunday 29th; Monday 10:00 CEST.
    expect(addBusinessMinutes(paris, at('2026-03-27T15:00:00Z'), 120)).toEqual(at('2026-03-30T08:00:00Z'));
    expect(businessMinutesBetween(paris, at('2026-03-27T15:00:00Z'), at('2026-03-30T08:00:00Z'))).toBe(120);
  });

  it('skips a holiday', () => {
    const easter = weekdays('Europe/Paris', '09:00', '17:00', ['2026-03-30']);
    expect(addBusinessMinutes(easter, at('2026-03-27T15:00:00Z'), 120)).toEqual(at('2026-03-31T08:00:00Z'));
  });

  it('follows New York back to standard time', () => {
    // Friday 30 October 2026 16:30 EDT; DST ends Sunday 1 November; Monday 09:30 EST.
    const newYork = weekdays('America/New_York');
    expect(addBusinessMinutes(newYork, at('2026-10-30T20:30:00Z'), 60)).toEqual(at('2026-11-02T14:30:00Z'));
  });

  it('counts 23 hours on the day clocks go forward and 25 on the day they go back', () => {
    const allWeek: BusinessSchedule = {
      timeZone: 'Europe/Paris',
      hours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' })),
      holidays: [],
    };
    expect(businessMinutesBetween(allWeek, at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(
      23 * 60,
    );
    expect(businessMinutesBetween(allWeek, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(
      25 * 60,
    );
  });

  it('works in a half-hour zone and starts from the next opening when outside hours', () => {
    const kolkata = weekdays('Asia/Kolkata');
    // Monday 2 March 2026 16:45 IST + 30 minutes: 15 today, 15 on Tuesday from 09:00.
    expect(addBusinessMinutes(kolkata, at('2026-03-02T11:15:00Z'), 30)).toEqual(at('2026-03-03T03:45:00Z'));
    // Saturday night: the first minute is Monday 09:00–09:01.
    expect(addBusinessMinutes(kolkata, at('2026-03-07T18:00:00Z'), 1)).toEqual(at('2026-03-09T03:31:00Z'));
    expect(isBusinessTime(kolkata, at('2026-03-09T03:30:00Z'))).toBe(true);
    expect(isBusinessTime(kolkata, at('2026-03-09T11:30:00Z'))).toBe(false);
  });

  it('treats a missing schedule as 24/7', () => {
    expect(addBusinessMinutes(null, at('2026-03-28T23:00:00Z'), 90)).toEqual(at('2026-03-29T00:30:00Z'));
    expect(businessMinutesBetween(null, at('2026-03-28T23:00:00Z'), at('2026-03-29T00:30:00Z'))).toBe(90);
  });

  it('refuses a calendar without hours instead of looping', () => {
    expect(() =>
      addBusinessMinutes({ timeZone: 'UTC', hours: [], holidays: [] }, at('2026-01-01T00:00:00Z'), 1),
    ).toThrow(/no business hours/);
  });
});

const zones = [
  'UTC',
  'Europe/Paris',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/Sao_Paulo',
];
const quarter = fc
  .integer({ min: 0, max: 96 })
  .map((n) => `${String(Math.floor(n / 4)).padStart(2, '0')}:${String((n % 4) * 15).padStart(2, '0')}`);
const scheduleArb: fc.Arbitrary<BusinessSchedule> = fc.record({
  timeZone: fc.constantFrom(...zones),
  hours: fc
    .array(fc.record({ day: fc.integer({ min: 0, max: 6 }), a: quarter, b: quarter }), {
      minLength: 1,
      maxLength: 6,
    })
    .map((entries) =>
      entries
        .filter((e) => e.a !== e.b)
        // biome-ignore lint/complexity/useMathMinMax: the times are "HH:MM" strings, compared as text
        .map((e) => ({ day: e.day, start: e.a < e.b ? e.a : e.b, end: e.a < e.b ? e.b : e.a })),
    )
    .filter((entries) => entries.length > 0),
  holidays: fc.array(
    fc
      .date({ min: new Date('2025-06-01'), max: new Date('2027-06-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    { maxLength: 10 },
  ),
});
const instant = fc.date({
  min: new Date('2025-06-01T00:00:00Z'),
  max: new Date('2027-06-01T00:00:00Z'),
  noInvalidDate: true,
});
const minutes = fc.integer({ min: 0, max: 2000 });

describe('business minutes, properties', () => {
  it('counts back exactly what it added', () => {
    fc.assert(
      fc.property(scheduleArb, instant, minutes, (schedule, start, m) => {
        const due = addBusinessMinutes(schedule, start, m);
        expect(businessMinutesBetween(schedule, start, due)).toBeCloseTo(m, 6);
      }),
    );
  });

  it('adds in steps the same as all at once, and never goes backwards', () => {
    fc.assert(
      fc.property(scheduleArb, instant, minutes, minutes, (schedule, start, a, b) => {
        const once = addBusinessMinutes(schedule, start, a + b);
        const step = addBusinessMinutes(schedule, addBusinessMinutes(schedule, start, a), b);
        expect(step).toEqual(once);
        expect(once.getTime()).toBeGreaterThanOrEqual(addBusinessMinutes(schedule, start, a).getTime());
      }),
    );
  });

  it('lands at the end of a business minute', () => {
    fc.assert(
      fc.property(scheduleArb, instant, fc.integer({ min: 1, max: 2000 }), (schedule, start, m) => {
        const due = addBusinessMinutes(schedule, start, m);
        expect(isBusinessTime(schedule, new Date(due.getTime() - 1))).toBe(true);
      }),
    );
  });

  it('splits an interval into parts that add up', () => {
    fc.assert(
      fc.property(scheduleArb, instant, instant, instant, (schedule, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        const whole = businessMinutesBetween(schedule, a, c);
        expect(businessMinutesBetween(schedule, a, b) + businessMinutesBetween(schedule, b, c)).toBeCloseTo(
          whole,
          6,
        );
      }),
      { numRuns: 50 },
    );
  });
});
