import type { Figures, KpiReport } from './report-service.ts';

type Cell = string | number | null | undefined;

// Spreadsheet apps run cells starting with = + - @ as formulas; a leading quote keeps them text.
const cell = (value: Cell) => {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const toCsv = (header: string[], rows: Cell[][]) =>
  `${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;

const figureHeader = [
  'created',
  'solved',
  'reopened',
  'reopen_rate',
  'one_touch_rate',
  'first_reply_median_min',
  'first_reply_p90_min',
  'first_resolution_median_min',
  'first_resolution_p90_min',
  'full_resolution_median_min',
  'full_resolution_p90_min',
  'csat_answers',
  'csat_percent',
  'nps_answers',
  'nps',
  'ces_mean',
];
const figureCells = (f: Figures): Cell[] => [
  f.created,
  f.solved,
  f.reopened,
  f.reopenRate,
  f.oneTouchRate,
  f.firstReply.medianMinutes,
  f.firstReply.p90Minutes,
  f.firstResolution.medianMinutes,
  f.firstResolution.p90Minutes,
  f.fullResolution.medianMinutes,
  f.fullResolution.p90Minutes,
  f.csat.answers,
  f.csat.percent,
  f.nps.answers,
  f.nps.score,
  f.ces.mean,
];

/** One table of a KPI report as CSV, with the same figures the JSON carries. */
export function reportCsv(report: KpiReport, table: 'rows' | 'agents' | 'backlog' | 'sla' | 'totals') {
  switch (table) {
    case 'totals':
      return toCsv(
        ['period', ...figureHeader],
        [
          ['current', ...figureCells(report.totals)],
          ...(report.previousTotals ? [['previous', ...figureCells(report.previousTotals)]] : []),
        ],
      );
    case 'rows':
      return toCsv(
        [report.groupBy, 'label', ...figureHeader],
        report.rows.map((row) => [row.key, row.label, ...figureCells(row)]),
      );
    case 'agents':
      return toCsv(
        [
          'agent_id',
          'name',
          'solved',
          'replies',
          'first_reply_median_min',
          'first_reply_p90_min',
          'full_resolution_median_min',
          'csat_answers',
          'csat_percent',
          'qa_score',
        ],
        report.agents.map((a) => [
          a.agentId,
          a.name,
          a.solved,
          a.replies,
          a.firstReply.medianMinutes,
          a.firstReply.p90Minutes,
          a.fullResolution.medianMinutes,
          a.csat.answers,
          a.csat.percent,
          a.qaScore,
        ]),
      );
    case 'backlog':
      return toCsv(
        [
          'status',
          'count',
          'median_age_hours',
          'p90_age_hours',
          'under_1d',
          '1_3d',
          '3_7d',
          '7_30d',
          'over_30d',
        ],
        [...report.backlog.byStatus, ...(report.backlog.total ? [report.backlog.total] : [])].map((b) => [
          b.status,
          b.count,
          b.medianAgeHours,
          b.p90AgeHours,
          b.under1d,
          b.d1to3,
          b.d3to7,
          b.d7to30,
          b.over30d,
        ]),
      );
    case 'sla':
      return toCsv(
        ['metric', 'achieved', 'breached', 'compliance'],
        report.sla.map((s) => [s.metric, s.achieved, s.breached, s.compliance]),
      );
  }
}
