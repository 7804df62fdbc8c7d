import type { SlaConditions } from '../db/schema/index.ts';
import { addBusinessMinutes, type BusinessSchedule, businessMinutesBetween } from './business-time.ts';

export type SlaMetric = 'first_reply' | 'next_reply' | 'resolution';

/** What a policy needs to know about a ticket: the fields of the ticket summary in domain events. */
export type TicketFacts = {
  status: string;
  priority: string;
  channel: string;
  teamId: string | null;
  tags: string[];
  /** The customer's tier; read only when a policy names tiers. */
  tier?: string | null | undefined;
};

export type PolicyTargets = {
  id: string;
  conditions: SlaConditions;
  firstReplyMinutes: number | null;
  nextReplyMinutes: number | null;
  resolutionMinutes: number | null;
  pauseWhilePending: boolean;
};

/** A ticket's SLA clock as the engine moves it; the ticket_slas row holds the same fields. */
export type SlaClock = {
  metric: SlaMetric;
  targetMinutes: number;
  startedAt: Date;
  elapsedSeconds: number;
  runningSince: Date | null;
  dueAt: Date | null;
  warnedAt: Date | null;
  breachedAt: Date | null;
  completedAt: Date | null;
};

const within = (allowed: string[] | undefined, value: string | null) =>
  !allowed || allowed.length === 0 || (value !== null && allowed.includes(value));

/** A policy applies when every condition it sets holds; any listed tag is enough for the tag condition. */
export function policyMatches(conditions: SlaConditions, ticket: TicketFacts): boolean {
  return (
    within(conditions.priorities, ticket.priority) &&
    within(conditions.channels, ticket.channel) &&
    within(conditions.teamIds, ticket.teamId) &&
    within(conditions.tiers, ticket.tier ?? null) &&
    (!conditions.tags ||
      conditions.tags.length === 0 ||
      conditions.tags.some((tag) => ticket.tags.includes(tag)))
  );
}

export const targetOf = (policy: PolicyTargets, metric: SlaMetric) =>
  metric === 'first_reply'
    ? policy.firstReplyMinutes
    : metric === 'next_reply'
      ? policy.nextReplyMinutes
      : policy.resolutionMinutes;

export const isPausedStatus = (policy: PolicyTargets, status: string) =>
  policy.pauseWhilePending && (status === 'pending' || status === 'on_hold');

export function startClock(
  metric: SlaMetric,
  targetMinutes: number,
  at: Date,
  schedule: BusinessSchedule | null,
): SlaClock {
  return {
    metric,
    targetMinutes,
    startedAt: at,
    elapsedSeconds: 0,
    runningSince: at,
    dueAt: addBusinessMinutes(schedule, at, targetMinutes),
    warnedAt: null,
    breachedAt: null,
    completedAt: null,
  };
}

const usedSeconds = (clock: SlaClock, at: Date, schedule: BusinessSchedule | null) =>
  clock.elapsedSeconds +
  (clock.runningSince ? Math.round(businessMinutesBetween(schedule, clock.runningSince, at) * 60) : 0);

/** Stops the clock counting, keeping the business time used so far. */
export function pauseClock(clock: SlaClock, at: Date, schedule: BusinessSchedule | null): SlaClock {
  if (!clock.runningSince || clock.completedAt) return clock;
  return { ...clock, elapsedSeconds: usedSeconds(clock, at, schedule), runningSince: null, dueAt: null };
}

/** Counts again from `at`; the due time moves by however long the clock was paused. */
export function resumeClock(clock: SlaClock, at: Date, schedule: BusinessSchedule | null): SlaClock {
  if (clock.runningSince || clock.completedAt) return clock;
  const left = clock.targetMinutes - clock.elapsedSeconds / 60;
  return { ...clock, runningSince: at, dueAt: addBusinessMinutes(schedule, at, left) };
}

/** A new target for a running or paused clock (the ticket now matches another policy). */
export function retarget(
  clock: SlaClock,
  targetMinutes: number,
  schedule: BusinessSchedule | null,
): SlaClock {
  if (clock.completedAt || clock.targetMinutes === targetMinutes) return clock;
  const next = { ...clock, targetMinutes };
  if (!clock.runningSince) return next;
  const left = targetMinutes - clock.elapsedSeconds / 60;
  return { ...next, dueAt: addBusinessMinutes(schedule, clock.runningSince, left) };
}

export function completeClock(clock: SlaClock, at: Date, schedule: BusinessSchedule | null): SlaClock {
  if (clock.completedAt) return clock;
  return { ...pauseClock(clock, at, schedule), completedAt: at };
}

export type SlaState = 'running' | 'paused' | 'met' | 'breached';

/** How a clock stands at `now`: its state and the business minutes left (negative once overdue). */
export function describeClock(clock: SlaClock, now: Date, schedule: BusinessSchedule | null) {
  const used = usedSeconds(clock.completedAt ? { ...clock, runningSince: null } : clock, now, schedule) / 60;
  const overdue = clock.breachedAt !== null || used > clock.targetMinutes;
  const state: SlaState = clock.completedAt
    ? overdue
      ? 'breached'
      : 'met'
    : overdue
      ? 'breached'
      : clock.runningSince
        ? 'running'
        : 'paused';
  return { state, minutesLeft: Math.round((clock.targetMinutes - used) * 10) / 10 };
}
