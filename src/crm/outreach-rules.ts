import { createHash } from 'node:crypto';
import { instantOf, isValidTimeZone, wallClock } from '../automation/business-time.ts';
import type { OutreachSegment } from '../db/schema/index.ts';

const DAY = 86_400_000;
const minutesOf = (time: string) => {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
};

/**
 * The instant quiet hours end when `now` falls inside them in `timeZone` (a window such as 21:00–08:00
 * may span midnight), or null when a message may go now. An unknown zone counts as UTC.
 */
export function quietUntil(now: Date, timeZone: string | null, start: string, end: string): Date | null {
  const zone = timeZone && isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const from = minutesOf(start);
  const to = minutesOf(end);
  if (from === to) return null;
  const wall = wallClock(now.getTime(), zone);
  const midnight = Math.floor(wall / DAY) * DAY;
  const minute = (wall - midnight) / 60_000;
  const spansMidnight = from > to;
  const inside = spansMidnight ? minute >= from || minute < to : minute >= from && minute < to;
  if (!inside) return null;
  // Past the start of an overnight window the end is tomorrow's morning.
  const endDay = spansMidnight && minute >= from ? midnight + DAY : midnight;
  return new Date(instantOf(endDay + to * 60_000, zone));
}

/**
 * Whether a customer falls in the campaign's hold-out (control) group: a stable draw from the campaign
 * and customer ids, so the same customer stays on the same side for every event of one campaign.
 */
export function inHoldout(campaignId: string, customerId: string, percent: number): boolean {
  if (percent <= 0) return false;
  const digest = createHash('sha256').update(`${campaignId}:${customerId}`).digest();
  return digest.readUInt32BE(0) % 10_000 < percent * 100;
}

/** An empty segment takes everyone; otherwise any listed tag or tier admits the customer. */
export function inSegment(
  segment: OutreachSegment,
  customer: { tags: string[]; tier: string | null },
): boolean {
  const tags = segment.tags ?? [];
  const tiers = segment.tiers ?? [];
  if (tags.length === 0 && tiers.length === 0) return true;
  return (
    customer.tags.some((tag) => tags.includes(tag)) ||
    (customer.tier !== null && tiers.includes(customer.tier))
  );
}
