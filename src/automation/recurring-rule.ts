/**
 * Calendar arithmetic of recurring tickets. Pure: no clock, no database. A rule names a wall-clock time
 * in an IANA zone, so "every Monday 09:00 Europe/Berlin" stays 09:00 in Berlin across DST changes. A time
 * skipped by a DST jump opens the same distance after it (02:30 → 03:30); a repeated one opens once, at
 * its first occurrence.
 */
import type { RecurrenceRule } from '../db/schema/index.ts';
import { instantOf, isValidTimeZone, wallClock } from './business-time.ts';

export type { RecurrenceRule };

const MINUTE = 60_000;
const DAY = 86_400_000;
// A monthly rule matches within two months; a weekly one within a week.
const SEARCH_DAYS = 64;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** Whether the rule opens a ticket on this local day (wall-clock midnight as UTC ms). */
function matchesDay(rule: RecurrenceRule, wallDay: number): boolean {
  const date = new Date(wallDay);
  if (rule.frequency === 'daily') return true;
  if (rule.frequency === 'weekly') return rule.weekdays.includes(date.getUTCDay());
  const last = daysInMonth(date.getUTCFullYear(), date.getUTCMonth());
  const wanted = rule.dayOfMonth === 'last' ? last : Math.min(rule.dayOfMonth, last);
  return date.getUTCDate() === wanted;
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

/** The first moment strictly after `after` at which the rule opens a ticket. */
export function nextOccurrence(rule: RecurrenceRule, after: Date): Date {
  const time = minutesOf(rule.time) * MINUTE;
  const today = Math.floor(wallClock(after.getTime(), rule.timeZone) / DAY) * DAY;
  // From yesterday: a late time pushed past midnight by a DST jump belongs to the day before.
  for (let day = today - DAY; day <= today + SEARCH_DAYS * DAY; day += DAY) {
    if (!matchesDay(rule, day)) continue;
    const at = instantOf(day + time, rule.timeZone);
    if (at > after.getTime()) return new Date(at);
  }
  throw new Error('A recurrence rule matched no day in two months');
}

/** The local date (YYYY-MM-DD) of an instant in the rule's zone, for the {{date}} placeholder. */
export const localDate = (rule: RecurrenceRule, at: Date) =>
  new Date(wallClock(at.getTime(), rule.timeZone)).toISOString().slice(0, 10);

/** The rule as stored: a weekly rule's days once each, in order. */
export const normaliseRule = (rule: RecurrenceRule): RecurrenceRule =>
  rule.frequency === 'weekly'
    ? { ...rule, weekdays: [...new Set(rule.weekdays)].sort((a, b) => a - b) }
    : rule;

/** What is wrong with a rule the schema accepted: an unknown zone or a weekly rule without weekdays. */
export function ruleIssues(rule: RecurrenceRule): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (!isValidTimeZone(rule.timeZone))
    issues.push({ path: 'rule.timeZone', message: 'not an IANA time zone' });
  if (rule.frequency === 'weekly' && rule.weekdays.length === 0)
    issues.push({ path: 'rule.weekdays', message: 'pick at least one day' });
  return issues;
}
