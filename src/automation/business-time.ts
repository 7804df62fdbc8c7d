/**
 * Business-time arithmetic on a weekly calendar in an IANA time zone, with holidays. Pure: no clock,
 * no database. Times are instants (Date); hours are wall-clock times in the schedule's zone, so a
 * 09:00–17:00 day stays 09:00–17:00 across DST changes (and is 7 or 9 hours long only if it spans one).
 */
export type WeeklyHours = { day: number; start: string; end: string };
export type BusinessSchedule = { timeZone: string; hours: WeeklyHours[]; holidays: string[] };

const MINUTE = 60_000;
const DAY = 86_400_000;
// Far enough for a schedule open a few minutes a week with holidays around it; beyond that it is a bad calendar.
const MAX_DAYS = 366 * 5;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string) {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall clock in `timeZone` at `ms`, as if that wall clock were UTC. */
export function wallClock(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) parts[part.type] = Number(part.value);
  const { year, month, day, hour, minute, second } = parts as Record<string, number>;
  return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!) + (((ms % 1000) + 1000) % 1000);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a wall-clock time (given as UTC ms) happens in `timeZone`. A time skipped by a DST jump
 * maps to the same distance after the jump; a repeated one to its first occurrence.
 */
export function instantOf(wall: number, timeZone: string): number {
  const offset = (ms: number) => wallClock(ms, timeZone) - ms;
  // Offsets half a day either side: one before and one after any DST change near this time.
  const before = wall - offset(wall - 43_200_000);
  const after = wall - offset(wall + 43_200_000);
  const valid = [before, after].filter((candidate) => wallClock(candidate, timeZone) === wall);
  return valid.length > 0 ? Math.min(...valid) : before;
}

const minutesOf = (time: string) => {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
};

const isoDay = (wallDay: number) => new Date(wallDay).toISOString().slice(0, 10);

/** The open intervals (instants) of one local day, given as the wall-clock midnight in UTC ms. */
function dayIntervals(schedule: BusinessSchedule, wallDay: number): [number, number][] {
  if (schedule.holidays.includes(isoDay(wallDay))) return [];
  const weekday = new Date(wallDay).getUTCDay();
  const spans = schedule.hours
    .filter((entry) => entry.day === weekday)
    .map((entry) => [minutesOf(entry.start), minutesOf(entry.end)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of spans) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged
    .map(
      ([start, end]) =>
        [
          instantOf(wallDay + start * MINUTE, schedule.timeZone),
          instantOf(wallDay + end * MINUTE, schedule.timeZone),
        ] as [number, number],
    )
    .filter(([start, end]) => end > start);
}

/** Local days from the one holding `ms`: when each begins and its open intervals. */
function* daysFrom(schedule: BusinessSchedule, ms: number) {
  const wall = wallClock(ms, schedule.timeZone);
  let wallDay = wall - (((wall % DAY) + DAY) % DAY);
  for (let n = 0; n < MAX_DAYS; n++, wallDay += DAY)
    yield { begins: instantOf(wallDay, schedule.timeZone), intervals: dayIntervals(schedule, wallDay) };
  throw new Error('The schedule has no business hours within five years');
}

/** The instant `minutes` business minutes after `start`; `start` itself for zero. A null schedule is 24/7. */
export function addBusinessMinutes(schedule: BusinessSchedule | null, start: Date, minutes: number): Date {
  let remaining = minutes * MINUTE;
  const from = start.getTime();
  if (!schedule || remaining <= 0) return new Date(from + Math.max(remaining, 0));
  for (const { intervals } of daysFrom(schedule, from)) {
    for (const [open, close] of intervals) {
      if (close <= from) continue;
      const begin = Math.max(open, from);
      if (remaining <= close - begin) return new Date(begin + remaining);
      remaining -= close - begin;
    }
  }
  throw new Error('unreachable');
}

/** Business minutes (fractional) between two instants; zero when `to` is not after `from`. */
export function businessMinutesBetween(schedule: BusinessSchedule | null, from: Date, to: Date): number {
  const start = from.getTime();
  const end = to.getTime();
  if (end <= start) return 0;
  if (!schedule) return (end - start) / MINUTE;
  let total = 0;
  for (const { begins, intervals } of daysFrom(schedule, start)) {
    if (begins >= end) break;
    for (const [open, close] of intervals) total += Math.max(0, Math.min(close, end) - Math.max(open, start));
  }
  return total / MINUTE;
}

/** Whether `at` falls inside business hours. */
export function isBusinessTime(schedule: BusinessSchedule | null, at: Date): boolean {
  if (!schedule) return true;
  const ms = at.getTime();
  const today = daysFrom(schedule, ms).next().value;
  return (today?.intervals ?? []).some(([open, close]) => open <= ms && ms < close);
}
