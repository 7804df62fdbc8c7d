import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inHoldout, inSegment, quietUntil } from './outreach-rules.ts';

describe('quiet hours in the customer time zone', () => {
  const berlin = 'Europe/Berlin';

  it('holds a message sent at 23:30 in Berlin until 08:00 the next morning there', () => {
    // 22:30 UTC in winter is 23:30 in Berlin.
    expect(quietUntil(new Date('2026-01-14T22:30:00Z'), berlin, '21:00', '08:00')?.toISOString()).toBe(
      '2026-01-15T07:00:00.000Z',
    );
  });

  it('holds an early-morning message until 08:00 the same day', () => {
    // 03:10 UTC is 04:10 in Berlin (CET).
    expect(quietUntil(new Date('2026-01-15T03:10:00Z'), berlin, '21:00', '08:00')?.toISOString()).toBe(
      '2026-01-15T07:00:00.000Z',
    );
  });

  it('lets a daytime message go at once, and reads the window in the customer zone, not UTC', () => {
    expect(quietUntil(new Date('2026-01-15T12:00:00Z'), berlin, '21:00', '08:00')).toBeNull();
    // 21:30 UTC is 13:30 in Los Angeles: not quiet there, though it would be in UTC.
    expect(quietUntil(new Date('2026-01-15T21:30:00Z'), 'America/Los_Angeles', '21:00', '08:00')).toBeNull();
  });

  it('ends at 08:00 local across the spring DST change', () => {
    // The night of 28–29 March 2026: Berlin moves from UTC+1 to UTC+2 at 02:00.
    expect(quietUntil(new Date('2026-03-28T23:00:00Z'), berlin, '21:00', '08:00')?.toISOString()).toBe(
      '2026-03-29T06:00:00.000Z',
    );
  });

  it('handles a window inside one day and an unknown zone as UTC', () => {
    expect(quietUntil(new Date('2026-01-15T13:00:00Z'), 'Not/AZone', '12:00', '14:00')?.toISOString()).toBe(
      '2026-01-15T14:00:00.000Z',
    );
    expect(quietUntil(new Date('2026-01-15T13:00:00Z'), null, '09:00', '09:00')).toBeNull();
  });

  it('never returns a time in the past or more than a day ahead, and that time is outside quiet hours', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'UTC'),
        (now, zone) => {
          const until = quietUntil(now, zone, '21:00', '08:00');
          if (!until) return;
          expect(until.getTime()).toBeGreaterThan(now.getTime());
          expect(until.getTime() - now.getTime()).toBeLessThanOrEqual(86_400_000);
          expect(quietUntil(until, zone, '21:00', '08:00')).toBeNull();
        },
      ),
    );
  });
});

describe('hold-out group', () => {
  it('is stable per customer and close to the asked share', () => {
    const campaign = '5b0b6f5e-0000-4000-8000-000000000001';
    const ids = Array.from({ length: 4000 }, (_, i) => `customer-${i}`);
    const held = ids.filter((id) => inHoldout(campaign, id, 10));
    expect(held.length / ids.length).toBeGreaterThan(0.08);
    expect(held.length / ids.length).toBeLessThan(0.12);
    expect(ids.filter((id) => inHoldout(campaign, id, 10))).toEqual(held);
    expect(ids.some((id) => inHoldout(campaign, id, 0))).toBe(false);
    expect(ids.every((id) => inHoldout(campaign, id, 100))).toBe(true);
  });
});

describe('segment', () => {
  it('takes everyone when empty, else any listed tag or tier', () => {
    expect(inSegment({}, { tags: [], tier: null })).toBe(true);
    expect(inSegment({ tags: ['eu'] }, { tags: ['eu', 'retail'], tier: null })).toBe(true);
    expect(inSegment({ tags: ['eu'] }, { tags: ['us'], tier: 'vip' })).toBe(false);
    expect(inSegment({ tags: ['eu'], tiers: ['vip'] }, { tags: ['us'], tier: 'vip' })).toBe(true);
  });
});
