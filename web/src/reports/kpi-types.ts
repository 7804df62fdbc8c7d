/** The shapes of GET /api/v1/reports/kpis and GET /api/v1/feedback/themes, as the console reads them. */
export type Duration = { count: number; medianMinutes: number | null; p90Minutes: number | null };
export type Figures = {
  created: number;
  solved: number;
  reopened: number;
  reopenRate: number | null;
  oneTouch: number;
  oneTouchRate: number | null;
  firstReply: Duration;
  firstResolution: Duration;
  fullResolution: Duration;
  csat: { answers: number; positive: number; percent: number | null };
  nps: { answers: number; promoters: number; passives: number; detractors: number; score: number | null };
  ces: { answers: number; mean: number | null; easyShare: number | null };
};
export type Backlog = {
  status: string;
  count: number;
  medianAgeHours: number | null;
  p90AgeHours: number | null;
  under1d: number;
  d1to3: number;
  d3to7: number;
  d7to30: number;
  over30d: number;
};
export type KpiReport = {
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string } | null;
  groupBy: string;
  totals: Figures;
  previousTotals: Figures | null;
  rows: (Figures & { key: string; label: string | null })[];
  agents: {
    agentId: string;
    name: string | null;
    solved: number;
    replies: number;
    firstReply: Duration;
    fullResolution: Duration;
    csat: { answers: number; percent: number | null };
    qaScore: number | null;
  }[];
  backlog: { total: Backlog | null; byStatus: Backlog[] };
  sla: { metric: string; achieved: number; breached: number; compliance: number | null }[];
  botDeflection: { answered: number; deflected: number; rate: number | null };
};
export type Theme = {
  id: string;
  label: string;
  size: number;
  trend: { weekStart: string; count: number }[];
  quotes: { id: string; body: string }[];
  action: { label: string; at: string; beforePerWeek: number; afterPerWeek: number | null } | null;
  alertedAt: string | null;
  /** Raised and not acknowledged by an admin since. */
  alertOpen: boolean;
};

export type Filters = {
  from: string;
  to: string;
  group_by: string;
  time: 'calendar' | 'business';
  channel: string;
  /** A user id, or '' for every agent. */
  agent: string;
  /** A team id, or '' for every team. */
  team: string;
  tag: string;
  compare: boolean;
};

/** The query string of the report for these filters (the date range is [from, to + 1 day)). */
export function reportQuery(filters: Filters, extra: Record<string, string> = {}) {
  const to = new Date(`${filters.to}T00:00:00Z`);
  to.setUTCDate(to.getUTCDate() + 1);
  const params = new URLSearchParams({
    from: filters.from,
    to: to.toISOString().slice(0, 10),
    group_by: filters.group_by,
    time: filters.time,
    compare: filters.compare ? 'previous' : 'none',
    ...extra,
  });
  if (filters.channel) params.set('channel', filters.channel);
  if (filters.agent) params.set('agent_id', filters.agent);
  if (filters.team) params.set('team_id', filters.team);
  if (filters.tag.trim()) params.set('tag', filters.tag.trim());
  return params.toString();
}

export const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 1000) / 10}%`);
/** CSAT % comes from the API as 0–100, the other rates as 0–1. */
export const csatPercent = (value: number | null) => percent(value === null ? null : value / 100);
export const minutes = (value: number | null) => {
  if (value === null) return '—';
  if (value < 90) return `${Math.round(value)} min`;
  if (value < 48 * 60) return `${Math.round((value / 60) * 10) / 10} h`;
  return `${Math.round((value / 1440) * 10) / 10} d`;
};
