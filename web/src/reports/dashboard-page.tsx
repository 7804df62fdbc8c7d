import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import type { MessageKey } from '../i18n/en.ts';
import { t } from '../i18n/i18n.ts';
import { KpiChart } from './kpi-chart.tsx';
import { FilterBar } from './kpi-filters.tsx';
import { csatPercent, type Filters, type KpiReport, minutes, percent, reportQuery } from './kpi-types.ts';
import { ThemesPanel } from './themes-panel.tsx';
import './dashboard.css';

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

function defaultFilters(): Filters {
  const today = new Date();
  const from = new Date(today.getTime() - 29 * 86_400_000);
  return {
    from: isoDay(from),
    to: isoDay(today),
    group_by: 'day',
    time: 'calendar',
    channel: '',
    agent: '',
    team: '',
    tag: '',
    compare: true,
  };
}

function Card({ label, value, previous }: { label: string; value: string; previous?: string | undefined }) {
  return (
    <div className="kpi-card" data-kpi={label}>
      <span className="kpi-label">{label}</span>
      <strong className="kpi-value">{value}</strong>
      {previous !== undefined && (
        <span className="kpi-previous">{t('reports.previous', { value: previous })}</span>
      )}
    </div>
  );
}

function CsvLink({ filters, table }: { filters: Filters; table: string }) {
  return (
    <a className="button-link" href={`/api/v1/reports/kpis.csv?${reportQuery(filters, { table })}`} download>
      {t('reports.csv')}
    </a>
  );
}

function Totals({ report }: { report: KpiReport }) {
  const now = report.totals;
  const was = report.previousTotals;
  const pair = (d: { medianMinutes: number | null; p90Minutes: number | null }) =>
    `${minutes(d.medianMinutes)} / ${minutes(d.p90Minutes)}`;
  const sla = report.sla.reduce(
    (sum, row) => ({ achieved: sum.achieved + row.achieved, all: sum.all + row.achieved + row.breached }),
    { achieved: 0, all: 0 },
  );
  const backlog = report.backlog.total;
  const nps = (score: number | null) => (score === null ? '—' : String(Math.round(score)));
  // Each figure shown for this period and, when comparing, for the one before.
  const compared: [MessageKey, (totals: typeof now) => string][] = [
    ['reports.created', (x) => String(x.created)],
    ['reports.solved', (x) => String(x.solved)],
    ['reports.firstReply', (x) => pair(x.firstReply)],
    ['reports.resolution', (x) => pair(x.fullResolution)],
    ['reports.oneTouch', (x) => percent(x.oneTouchRate)],
    ['reports.reopen', (x) => percent(x.reopenRate)],
  ];
  return (
    <div className="kpi-cards">
      {compared.map(([key, show]) => (
        <Card key={key} label={t(key)} value={show(now)} previous={was ? show(was) : undefined} />
      ))}
      <Card
        label={t('reports.backlog')}
        value={
          backlog
            ? `${backlog.count} (${minutes(backlog.medianAgeHours === null ? null : backlog.medianAgeHours * 60)})`
            : '0'
        }
      />
      <Card label={t('reports.sla')} value={percent(sla.all ? sla.achieved / sla.all : null)} />
      <Card
        label={t('reports.csat')}
        value={csatPercent(now.csat.percent)}
        previous={was ? csatPercent(was.csat.percent) : undefined}
      />
      <Card
        label={t('reports.nps')}
        value={nps(now.nps.score)}
        previous={was ? nps(was.nps.score) : undefined}
      />
      <Card label={t('reports.deflection')} value={percent(report.botDeflection.rate)} />
    </div>
  );
}

function Charts({ report, group }: { report: KpiReport; group: string }) {
  const categories = useMemo(() => report.rows.map((row) => row.label ?? row.key), [report]);
  const volume = useMemo(
    () => [
      { label: t('reports.created'), values: report.rows.map((r) => r.created), color: '#2563eb' },
      { label: t('reports.solved'), values: report.rows.map((r) => r.solved), color: '#16a34a' },
    ],
    [report],
  );
  const times = useMemo(
    () => [
      {
        label: t('reports.firstReply'),
        values: report.rows.map((r) => r.firstReply.medianMinutes),
        color: '#9333ea',
      },
      {
        label: t('reports.resolution'),
        values: report.rows.map((r) => r.fullResolution.medianMinutes),
        color: '#ea580c',
      },
    ],
    [report],
  );
  if (categories.length === 0) return <p>{t('reports.empty')}</p>;
  return (
    <div className="kpi-charts">
      <KpiChart title={t('reports.volumeChart', { group })} categories={categories} series={volume} />
      <KpiChart title={t('reports.timesChart', { group })} categories={categories} series={times} />
    </div>
  );
}

function Tables({ report, filters }: { report: KpiReport; filters: Filters }) {
  return (
    <>
      <section aria-labelledby="kpi-rows">
        <h2 id="kpi-rows">{t('reports.rows', { group: filters.group_by })}</h2>
        <CsvLink filters={filters} table="rows" />
        <table className="kpi-table" aria-labelledby="kpi-rows">
          <thead>
            <tr>
              <th>{filters.group_by}</th>
              <th>{t('reports.created')}</th>
              <th>{t('reports.solved')}</th>
              <th>{t('reports.firstReply')}</th>
              <th>{t('reports.resolution')}</th>
              <th>{t('reports.oneTouch')}</th>
              <th>{t('reports.csat')}</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((row) => (
              <tr key={row.key}>
                <td>{row.label ?? row.key}</td>
                <td>{row.created}</td>
                <td>{row.solved}</td>
                <td>{`${minutes(row.firstReply.medianMinutes)} / ${minutes(row.firstReply.p90Minutes)}`}</td>
                <td>{`${minutes(row.fullResolution.medianMinutes)} / ${minutes(row.fullResolution.p90Minutes)}`}</td>
                <td>{percent(row.oneTouchRate)}</td>
                <td>{csatPercent(row.csat.percent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="kpi-agents">
        <h2 id="kpi-agents">{t('reports.agents')}</h2>
        <CsvLink filters={filters} table="agents" />
        <table className="kpi-table" aria-labelledby="kpi-agents">
          <thead>
            <tr>
              <th>{t('reports.agent')}</th>
              <th>{t('reports.solved')}</th>
              <th>{t('reports.replies')}</th>
              <th>{t('reports.firstReply')}</th>
              <th>{t('reports.csat')}</th>
              <th>{t('reports.qa')}</th>
            </tr>
          </thead>
          <tbody>
            {report.agents.map((agent) => (
              <tr key={agent.agentId}>
                <td>{agent.name ?? agent.agentId}</td>
                <td>{agent.solved}</td>
                <td>{agent.replies}</td>
                <td>{minutes(agent.firstReply.medianMinutes)}</td>
                <td>{csatPercent(agent.csat.percent)}</td>
                <td>{agent.qaScore ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="kpi-backlog" className="kpi-pair">
        <div>
          <h2 id="kpi-backlog">{t('reports.backlog')}</h2>
          <CsvLink filters={filters} table="backlog" />
          <table className="kpi-table" aria-labelledby="kpi-backlog">
            <thead>
              <tr>
                <th>{t('reports.status')}</th>
                <th>{t('reports.count')}</th>
                <th>&lt;1d</th>
                <th>1–3d</th>
                <th>3–7d</th>
                <th>7–30d</th>
                <th>&gt;30d</th>
              </tr>
            </thead>
            <tbody>
              {report.backlog.byStatus.map((row) => (
                <tr key={row.status}>
                  <td>{row.status}</td>
                  <td>{row.count}</td>
                  <td>{row.under1d}</td>
                  <td>{row.d1to3}</td>
                  <td>{row.d3to7}</td>
                  <td>{row.d7to30}</td>
                  <td>{row.over30d}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h2 id="kpi-sla">{t('reports.sla')}</h2>
          <CsvLink filters={filters} table="sla" />
          <table className="kpi-table" aria-labelledby="kpi-sla">
            <thead>
              <tr>
                <th>{t('reports.metric')}</th>
                <th>{t('reports.achieved')}</th>
                <th>{t('reports.breached')}</th>
                <th>%</th>
              </tr>
            </thead>
            <tbody>
              {report.sla.map((row) => (
                <tr key={row.metric}>
                  <td>{row.metric}</td>
                  <td>{row.achieved}</td>
                  <td>{row.breached}</td>
                  <td>{percent(row.compliance)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

/** The KPI dashboard (admins): filters, totals against the previous period, charts, tables with CSV, themes. */
export default function DashboardPage() {
  const [filters, setFilters] = useState(defaultFilters);
  const report = useQuery({
    queryKey: ['reports', 'kpis', filters],
    queryFn: ({ signal }) => api<KpiReport>(`/reports/kpis?${reportQuery(filters)}`, { signal }),
    placeholderData: (previous) => previous,
  });
  return (
    <section className="page kpi-page" aria-labelledby="kpi-title">
      <h1 id="kpi-title">{t('reports.title')}</h1>
      <FilterBar filters={filters} onChange={setFilters} />
      {report.error && <p role="alert">{t('common.error', { detail: report.error.message })}</p>}
      {report.isPending && <p className="loading">{t('common.loading')}</p>}
      {report.data && (
        <div aria-busy={report.isFetching}>
          <Totals report={report.data} />
          <Charts report={report.data} group={filters.group_by} />
          <Tables report={report.data} filters={filters} />
        </div>
      )}
      <ThemesPanel />
    </section>
  );
}
