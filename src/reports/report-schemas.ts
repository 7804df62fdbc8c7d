import { z } from 'zod';
import { isValidTimeZone } from '../automation/business-time.ts';
import { groupings } from './report-queries.ts';
import type { KpiReport } from './report-service.ts';

const instant = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((value) => new Date(value));

export const kpiQuery = z.strictObject({
  from: instant,
  to: instant,
  group_by: z.enum(groupings).default('day'),
  time: z.enum(['calendar', 'business']).default('calendar'),
  compare: z
    .enum(['previous', 'none'])
    .default('none')
    .describe('`previous` adds the totals of the period of the same length just before'),
  tz: z.string().max(64).refine(isValidTimeZone, 'not a time zone').optional(),
  schedule_id: z.uuid().optional(),
  channel: z.enum(['email', 'chat', 'web', 'api', 'phone', 'social']).optional(),
  team_id: z.uuid().optional(),
  agent_id: z.uuid().optional(),
  tag: z.string().min(1).max(100).optional(),
});
export type KpiQuery = z.infer<typeof kpiQuery>;

export const csvTables = ['rows', 'agents', 'backlog', 'sla', 'totals'] as const;
export const kpiCsvQuery = kpiQuery.extend({ table: z.enum(csvTables).default('rows') });

const rate = z.number().nullable();
const duration = z.object({ count: z.number(), medianMinutes: rate, p90Minutes: rate });
const csat = z.object({ answers: z.number(), positive: z.number(), percent: rate });
const figures = z.object({
  created: z.number(),
  solved: z.number(),
  reopened: z.number(),
  reopenRate: rate,
  oneTouch: z.number(),
  oneTouchRate: rate,
  firstReply: duration,
  firstResolution: duration,
  fullResolution: duration,
  csat,
  nps: z.object({
    answers: z.number(),
    promoters: z.number(),
    passives: z.number(),
    detractors: z.number(),
    score: rate,
  }),
  ces: z.object({ answers: z.number(), mean: rate, easyShare: rate }),
});
const backlog = z.object({
  status: z.string(),
  count: z.number(),
  medianAgeHours: rate,
  p90AgeHours: rate,
  under1d: z.number(),
  d1to3: z.number(),
  d3to7: z.number(),
  d7to30: z.number(),
  over30d: z.number(),
});
const period = z.object({ from: z.string(), to: z.string() });

export const kpiResponse = z.object({
  period,
  previousPeriod: period.nullable(),
  groupBy: z.enum(groupings),
  timeBasis: z.enum(['calendar', 'business']),
  businessSchedule: z.string().nullable().describe('time zone of the calendar used for business time'),
  totals: figures,
  previousTotals: figures.nullable(),
  rows: z.array(figures.extend({ key: z.string(), label: z.string().nullable() })),
  agents: z.array(
    z.object({
      agentId: z.string(),
      name: z.string().nullable(),
      solved: z.number(),
      replies: z.number(),
      firstReply: duration,
      fullResolution: duration,
      csat,
      qaScore: z.number().nullable(),
    }),
  ),
  backlog: z.object({ total: backlog.nullable(), byStatus: z.array(backlog) }),
  sla: z.array(
    z.object({ metric: z.string(), achieved: z.number(), breached: z.number(), compliance: rate }),
  ),
  botDeflection: z.object({ answered: z.number(), deflected: z.number(), rate }),
});

const presentPeriod = (p: { from: Date; to: Date }) => ({
  from: p.from.toISOString(),
  to: p.to.toISOString(),
});

export const presentReport = (report: KpiReport) => ({
  ...report,
  period: presentPeriod(report.period),
  previousPeriod: report.previousPeriod ? presentPeriod(report.previousPeriod) : null,
});
