import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { reportCsv } from './report-csv.ts';
import { type KpiQuery, kpiCsvQuery, kpiQuery, kpiResponse, presentReport } from './report-schemas.ts';
import { type KpiInput, kpiReport } from './report-service.ts';

const tags = ['reports'];
// The per-agent table compares colleagues: admins only.
const config = { minRole: 'admin' as const };

const kpiInput = (actor: ReturnType<typeof actorOf>, query: KpiQuery): KpiInput => ({
  actor,
  workspaceId: actor.workspaceId,
  from: query.from,
  to: query.to,
  groupBy: query.group_by,
  timeBasis: query.time,
  compare: query.compare === 'previous',
  timeZone: query.tz,
  scheduleId: query.schedule_id,
  channel: query.channel,
  teamId: query.team_id,
  agentId: query.agent_id,
  tag: query.tag,
});

/** Service KPIs as JSON and each of their tables as CSV. */
export function registerReportRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/api/v1/reports/kpis',
    {
      config,
      schema: {
        tags,
        description:
          'Volume, reply and resolution times (median, p90; calendar or business minutes), one-touch and reopen rates, backlog, SLA compliance, CSAT, NPS and the per-agent table for [from, to).',
        querystring: kpiQuery,
        response: { 200: kpiResponse },
      },
    },
    async (request) =>
      presentReport(await kpiReport(db, kpiInput(actorOf(request), request.query), clock.now())),
  );
  app.get(
    '/api/v1/reports/kpis.csv',
    { config, schema: { tags, querystring: kpiCsvQuery, response: { 200: z.string() } } },
    async (request, reply) => {
      const report = await kpiReport(db, kpiInput(actorOf(request), request.query), clock.now());
      const from = request.query.from.toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="kpis-${request.query.table}-${from}.csv"`)
        .send(reportCsv(report, request.query.table));
    },
  );
}
