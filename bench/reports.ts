// Reports: fills real PostgreSQL with BENCH_TICKETS tickets (default 1,000,000) and five messages each,
// spread over a year (4 teams, most with a triage intent), then times every dashboard query over a
// 30-day window. Aim: p95 < 500 ms each. Baseline in the same run: a bare count of the window's
// tickets (the floor any report pays).

import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type Database, openDatabase, queryRows } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import {
  backlogRows,
  firstReplyRows,
  type Grouping,
  type ReportScope,
  repliesByAgent,
  resolutionRows,
  slaRows,
  surveyRows,
  volumeRows,
} from '../src/reports/report-queries.ts';
import { kpiReport } from '../src/reports/report-service.ts';
import { createUser } from '../src/users/user-service.ts';
import { createWorkspace } from '../src/workspaces/workspace-service.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const MESSAGES_PER_TICKET = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const AGENTS = 20;
const TEAMS = 4;
const AIM = { p95_ms: 500 } as const;
const URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rapport_bench_reports';
const END = new Date(Date.UTC(2026, 0, 1));
const DAY = 86_400_000;

async function freshDatabase(url: string) {
  const target = new globalThis.URL(url);
  const name = target.pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
}

async function generate(database: Database) {
  const { db } = database;
  const workspace = await createWorkspace(db, { name: 'Bench reports' });
  const agents: string[] = [];
  for (let n = 0; n < AGENTS; n++) {
    const user = await createUser(db, {
      workspaceId: workspace.id,
      email: `agent-${n}@bench.example`,
      name: `Agent ${n}`,
      password: 'bench password 123',
      role: 'agent',
    });
    agents.push(user.id);
  }
  const ws = workspace.id;
  const agentArray = sql`${`{${agents.join(',')}}`}::uuid[]`;
  const start = Date.now();
  const teamRows = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO teams (workspace_id, name) SELECT ${ws}, 'Team ' || n FROM generate_series(1, ${sql.raw(String(TEAMS))}) n RETURNING id`,
  );
  const teams = teamRows.map((row) => row.id);
  const teamArray = sql`${`{${teams.join(',')}}`}::uuid[]`;
  await db.execute(sql`INSERT INTO customers (workspace_id, name)
    SELECT ${ws}, 'Customer ' || n FROM generate_series(1, 50000) n`);
  // Spread by the row number, so a rerun builds the same data. Not TEMP: the pool may switch connections.
  await db.execute(sql`CREATE UNLOGGED TABLE bench_customers AS
    SELECT row_number() OVER () AS position, id FROM customers WHERE workspace_id = ${ws}`);
  await db.execute(sql`INSERT INTO tickets (workspace_id, number, subject, status, priority, channel, customer_id,
      assignee_id, team_id, tags, created_at, updated_at, last_activity_at, first_response_at, solved_at)
    SELECT ${ws}, n, 'Ticket ' || n,
      (CASE WHEN n % 10 < 7 THEN 'solved' WHEN n % 10 = 7 THEN 'closed' WHEN n % 10 = 8 THEN 'open' ELSE 'pending' END)::ticket_status,
      (ARRAY['low','normal','high','urgent'])[1 + n % 4]::ticket_priority,
      (ARRAY['email','chat','web','api'])[1 + (n / 7) % 4]::channel,
      c.id, (${agentArray})[1 + (n * 7) % ${sql.raw(String(AGENTS))}], (${teamArray})[1 + n % ${sql.raw(String(TEAMS))}],
      ARRAY[(ARRAY['billing','shipping','refund','login','bug'])[1 + n % 5]],
      created, created, created + interval '5 hours', created + interval '1 hour',
      CASE WHEN n % 10 < 8 THEN created + ((n % 97) || ' hours')::interval END
    FROM generate_series(1, ${sql.raw(String(TICKETS))}) n
    CROSS JOIN LATERAL (SELECT ${END.toISOString()}::timestamptz - (n::float8 / ${sql.raw(String(TICKETS))} * 365) * interval '1 day' AS created) t
    JOIN bench_customers c ON c.position = 1 + n % 50000`);
  await db.execute(sql`INSERT INTO messages (workspace_id, ticket_id, kind, author_user_id, author_customer_id, channel, body_text, created_at)
    SELECT t.workspace_id, t.id,
      (CASE WHEN k % 2 = 1 THEN 'customer_message' WHEN k = 4 THEN 'internal_note' ELSE 'public_reply' END)::message_kind,
      CASE WHEN k % 2 = 0 THEN t.assignee_id END, CASE WHEN k % 2 = 1 THEN t.customer_id END,
      t.channel, 'Message ' || k, t.created_at + ((k - 1) * 50 + t.number % 40) * interval '1 minute'
    FROM tickets t CROSS JOIN generate_series(1, ${sql.raw(String(MESSAGES_PER_TICKET))}) k WHERE t.workspace_id = ${ws}`);
  await db.execute(sql`INSERT INTO ticket_events (workspace_id, ticket_id, type, changes, created_at)
    SELECT workspace_id, id, 'ticket.updated', jsonb_build_object('status', jsonb_build_array('open', 'solved')), solved_at
    FROM tickets WHERE workspace_id = ${ws} AND solved_at IS NOT NULL
    UNION ALL
    SELECT workspace_id, id, 'ticket.updated', jsonb_build_object('status', jsonb_build_array('solved', 'open')), solved_at - interval '30 minutes'
    FROM tickets WHERE workspace_id = ${ws} AND solved_at IS NOT NULL AND number % 13 = 0`);
  await db.execute(sql`INSERT INTO ticket_slas (workspace_id, ticket_id, metric, target_minutes, started_at, completed_at, breached_at)
    SELECT workspace_id, id, 'first_reply', 60, created_at, first_response_at,
      CASE WHEN number % 6 = 0 THEN created_at + interval '50 minutes' END
    FROM tickets WHERE workspace_id = ${ws}`);
  await db.execute(sql`INSERT INTO survey_responses (workspace_id, kind, score, source, ticket_id, agent_id, answered_at)
    SELECT workspace_id, 'csat', 1 + number % 5, 'bench', id, assignee_id, solved_at + interval '2 hours'
    FROM tickets WHERE workspace_id = ${ws} AND solved_at IS NOT NULL AND number % 5 = 0`);
  // Triage's view of intent: a suggestion on most tickets, an agent's correction on one in 20.
  await db.execute(sql`INSERT INTO intel_triage_suggestions (workspace_id, ticket_id, category, confidence, alternatives, state, model_version, created_at)
    SELECT workspace_id, id, (ARRAY['billing','shipping','refund','login','bug','other'])[1 + number % 6], 0.8, '[]'::jsonb,
      'applied', 1, created_at
    FROM tickets WHERE workspace_id = ${ws} AND number % 10 <> 3`);
  await db.execute(sql`INSERT INTO intel_triage_feedback (workspace_id, ticket_id, category, text, created_at)
    SELECT workspace_id, id, 'refund', subject, created_at + interval '1 hour'
    FROM tickets WHERE workspace_id = ${ws} AND number % 20 = 0`);
  await db.execute(sql`DROP TABLE bench_customers`);
  // A live database has been through autovacuum; a bulk load has not, and without its visibility map
  // every index-only scan would read the table too.
  await db.execute(sql`VACUUM ANALYZE`);
  return { workspaceId: ws, agents, teams, generateSeconds: (Date.now() - start) / 1000 };
}

async function timed(runs: number, run: () => Promise<unknown>) {
  const times: number[] = [];
  for (let n = 0; n < runs; n++) {
    const begin = performance.now();
    await run();
    times.push(performance.now() - begin);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]! * 10) / 10;
  return { p50_ms: at(0.5), p95_ms: at(0.95) };
}

export default async function reportsBench() {
  await freshDatabase(URL);
  const database = await openDatabase({ url: URL, poolSize: 4 });
  try {
    await migrate(database.db);
    const world = await generate(database);
    const { db } = database;
    const [counts] = await queryRows<{ tickets: number; messages: number }>(
      db,
      sql`SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM messages)::int AS messages`,
    );
    const scope: ReportScope = {
      workspaceId: world.workspaceId,
      from: new Date(END.getTime() - 30 * DAY),
      to: END,
      timeZone: 'UTC',
    };
    const filtered = { ...scope, channel: 'chat', agentId: world.agents[3] };
    const byTeam = { ...scope, teamId: world.teams[1] };
    const queries: Record<string, () => Promise<unknown>> = {
      baseline_count_window: () =>
        queryRows(
          db,
          sql`SELECT count(*) FROM tickets WHERE workspace_id = ${scope.workspaceId}
          AND created_at >= ${scope.from.toISOString()}::timestamptz AND created_at < ${scope.to.toISOString()}::timestamptz`,
        ),
    };
    for (const grouping of ['total', 'day', 'channel', 'team', 'agent', 'intent', 'tag'] as Grouping[]) {
      queries[`volume_${grouping}`] = () => volumeRows(db, scope, grouping);
      queries[`first_reply_${grouping}`] = () => firstReplyRows(db, scope, grouping);
      queries[`resolution_${grouping}`] = () => resolutionRows(db, scope, grouping);
      queries[`survey_${grouping}`] = () => surveyRows(db, scope, grouping);
    }
    queries.volume_day_filtered = () => volumeRows(db, filtered, 'day');
    queries.first_reply_day_filtered = () => firstReplyRows(db, filtered, 'day');
    queries.volume_intent_team_filtered = () => volumeRows(db, byTeam, 'intent');
    queries.resolution_day_team_filtered = () => resolutionRows(db, byTeam, 'day');
    queries.backlog = () => backlogRows(db, scope, END);
    queries.sla = () => slaRows(db, scope);
    queries.replies_by_agent = () => repliesByAgent(db, scope);
    const input = {
      actor: { userId: world.agents[0]!, workspaceId: world.workspaceId, role: 'admin' as const },
      workspaceId: world.workspaceId,
      from: scope.from,
      to: scope.to,
      groupBy: 'day' as const,
      compare: true,
    };
    queries.full_report_calendar = () => kpiReport(db, { ...input, timeBasis: 'calendar' }, END);
    queries.full_report_business = () => kpiReport(db, { ...input, timeBasis: 'business' }, END);
    const timings: Record<string, { p50_ms: number; p95_ms: number }> = {};
    for (const [name, run] of Object.entries(queries)) timings[name] = await timed(RUNS, run);
    const perQuery = Object.entries(timings).filter(
      ([name]) => !name.startsWith('full_') && !name.startsWith('baseline'),
    );
    return {
      database: 'postgres',
      tickets: counts?.tickets,
      messages: counts?.messages,
      window_days: 30,
      runs_per_query: RUNS,
      generate_seconds: world.generateSeconds,
      aim: AIM,
      queries_over_aim: perQuery.filter(([, t]) => t.p95_ms >= AIM.p95_ms).map(([name]) => name),
      timings,
      baseline: timings.baseline_count_window,
    };
  } finally {
    await database.close();
  }
}
