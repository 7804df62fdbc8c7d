import { z } from 'zod';
import type { Policy, Schedule } from './sla-admin-service.ts';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM, 00:00 to 24:00');
const weeklyHours = z.strictObject({
  day: z.number().int().min(0).max(6).describe('0 is Sunday'),
  start: time,
  end: time,
});
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const scheduleBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  timeZone: z.string().min(1).max(100).describe('IANA time zone, e.g. Europe/Paris'),
  hours: z.array(weeklyHours).min(1).max(50),
  holidays: z.array(isoDay).max(500).optional(),
});
export const schedulePatch = scheduleBody.partial();

const minutes = z.number().int().min(1).max(525_600);
export const policyBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  position: z.number().int().min(0).max(10_000).optional(),
  active: z.boolean().optional(),
  scheduleId: z.uuid().nullable().optional().describe('Business hours; none means around the clock'),
  conditions: z
    .strictObject({
      priorities: z.array(z.enum(['low', 'normal', 'high', 'urgent'])).optional(),
      channels: z.array(z.enum(['email', 'chat', 'web', 'api', 'phone', 'social'])).optional(),
      teamIds: z.array(z.uuid()).optional(),
      tags: z.array(z.string().min(1).max(100)).optional(),
      tiers: z.array(z.string().trim().min(1).max(100)).optional().describe("the customer's tier, e.g. vip"),
    })
    .optional()
    .describe('Every condition given must hold; a list matches any of its values'),
  firstReplyMinutes: minutes.nullable().optional(),
  nextReplyMinutes: minutes.nullable().optional(),
  resolutionMinutes: minutes.nullable().optional(),
  warnMinutes: z.number().int().min(0).max(10_080).optional(),
  pauseWhilePending: z.boolean().optional(),
});
export const policyPatch = policyBody.partial();

export const scheduleSchema = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  hours: z.array(weeklyHours),
  holidays: z.array(z.string()),
});
export const policySchema = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number(),
  active: z.boolean(),
  scheduleId: z.string().nullable(),
  conditions: z.record(z.string(), z.array(z.string())),
  firstReplyMinutes: z.number().nullable(),
  nextReplyMinutes: z.number().nullable(),
  resolutionMinutes: z.number().nullable(),
  warnMinutes: z.number(),
  pauseWhilePending: z.boolean(),
});
export const ticketSlaSchema = z.object({
  metric: z.enum(['first_reply', 'next_reply', 'resolution']),
  state: z.enum(['running', 'paused', 'met', 'breached']),
  policyId: z.string().nullable(),
  targetMinutes: z.number(),
  minutesLeft: z.number().describe('Business minutes to the target; negative once overdue'),
  startedAt: z.string(),
  dueAt: z.string().nullable(),
  warnAt: z.string().nullable().describe('While running: from when the policy calls it close to breaching'),
  warnedAt: z.string().nullable(),
  breachedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
});

export const slaListQuery = z.strictObject({
  state: z.enum(['breached', 'breaching_soon']),
  withinMinutes: z.coerce.number().int().min(1).max(10_080).default(60),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const slaClockSchema = z.object({
  ticketId: z.string(),
  number: z.number(),
  subject: z.string(),
  metric: z.enum(['first_reply', 'next_reply', 'resolution']),
  dueAt: z.string().nullable(),
  breachedAt: z.string().nullable(),
});

export const presentSchedule = (row: Schedule) => ({
  id: row.id,
  name: row.name,
  timeZone: row.timeZone,
  hours: row.hours,
  holidays: row.holidays,
});

export const presentPolicy = (row: Policy) => ({
  id: row.id,
  name: row.name,
  position: row.position,
  active: row.active,
  scheduleId: row.scheduleId,
  conditions: row.conditions as Record<string, string[]>,
  firstReplyMinutes: row.firstReplyMinutes,
  nextReplyMinutes: row.nextReplyMinutes,
  resolutionMinutes: row.resolutionMinutes,
  warnMinutes: row.warnMinutes,
  pauseWhilePending: row.pauseWhilePending,
});

const iso = (date: Date | null) => date?.toISOString() ?? null;
type TicketSla = Awaited<ReturnType<typeof import('./sla-admin-service.ts').ticketSlaState>>[number];
export const presentTicketSla = (row: TicketSla) => ({
  metric: row.metric,
  state: row.state,
  policyId: row.policyId,
  targetMinutes: row.targetMinutes,
  minutesLeft: row.minutesLeft,
  startedAt: row.startedAt.toISOString(),
  dueAt: iso(row.dueAt),
  warnAt: iso(row.warnAt),
  warnedAt: iso(row.warnedAt),
  breachedAt: iso(row.breachedAt),
  completedAt: iso(row.completedAt),
});
