import type { ThemeWeekOverWeek } from '../feedback/theme-rises.ts';

/** One week's key figures as the Monday summary shows them. */
export type WeekFigures = {
  created: number;
  solved: number;
  medianFirstReplyMinutes: number | null;
  csatPercent: number | null;
  npsScore: number | null;
  slaCompliance: number | null;
};

export type WeeklySummary = {
  workspaceName: string;
  timeZone: string;
  /** Monday of last week, as a local date (YYYY-MM-DD). */
  weekOf: string;
  lastWeek: WeekFigures;
  weekBefore: WeekFigures;
  risingThemes: ThemeWeekOverWeek[];
  dashboardUrl: string;
};

const none = '—';
const whole = (value: number | null) => (value === null ? none : String(Math.round(value)));
const share = (value: number | null) => (value === null ? none : `${Math.round(value * 100)}%`);
const pct = (value: number | null) => (value === null ? none : `${Math.round(value)}%`);
function duration(minutes: number | null) {
  if (minutes === null) return none;
  if (minutes < 90) return `${Math.round(minutes)} min`;
  return `${Math.round(minutes / 6) / 10} h`;
}

const lines: [string, (week: WeekFigures) => string][] = [
  ['Created', (week) => String(week.created)],
  ['Solved', (week) => String(week.solved)],
  ['Median first reply', (week) => duration(week.medianFirstReplyMinutes)],
  ['CSAT', (week) => pct(week.csatPercent)],
  ['NPS', (week) => whole(week.npsScore)],
  ['SLA compliance', (week) => share(week.slaCompliance)],
];

/** The plain-text Monday email: last week's figures, each beside the week before, and rising themes. */
export function weeklySummaryEmail(summary: WeeklySummary) {
  const figures = lines.map(
    ([label, show]) => `${label}: ${show(summary.lastWeek)} (week before: ${show(summary.weekBefore)})`,
  );
  const themes = summary.risingThemes.length
    ? summary.risingThemes.map(
        (theme) => `- ${theme.label}: ${theme.thisWeek} (week before: ${theme.weekBefore})`,
      )
    : ['- none'];
  return {
    subject: `${summary.workspaceName} last week: ${summary.lastWeek.created} created, ${summary.lastWeek.solved} solved (week of ${summary.weekOf})`,
    bodyText: [
      `Your service in the week of ${summary.weekOf} (${summary.timeZone}), against the week before:`,
      '',
      ...figures,
      '',
      'Rising feedback themes:',
      ...themes,
      '',
      `Dashboard: ${summary.dashboardUrl}`,
      'You get this as an admin; turn it off under Email notifications in the console.',
    ].join('\n'),
  };
}
