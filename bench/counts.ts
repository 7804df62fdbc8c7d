import { sql } from 'drizzle-orm';
import { type Database, openDatabase, queryRows } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { readViewCounts, rebuildViewCounts } from '../src/tickets/ticket-counts.ts';
import { createUser } from '../src/users/user-service.ts';
import { createWorkspace } from '../src/workspaces/workspace-service.ts';

// View counts at scale: what the console's sidebar costs at BENCH_TICKETS tickets (default one million),
// read from the maintained counters versus counting the tickets themselves with their indexes.
const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const ROUNDS = 30;

async function timeIt(rounds: number, work: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]! * 100) / 100;
  return { p50_ms: at(0.5), p90_ms: at(0.9) };
}

async function run(database: Database) {
  const { db } = database;
  await migrate(db);
  const workspace = await createWorkspace(db, { name: `Counts bench ${Date.now()}` });
  const agents = [];
  for (let i = 0; i < 20; i++) {
    agents.push(
      await createUser(db, {
        workspaceId: workspace.id,
        email: `agent${i}-${workspace.id}@bench.test`,
        name: `Agent ${i}`,
        password: 'bench password 1',
        role: 'agent',
      }),
    );
  }
  await db.execute(
    sql`INSERT INTO teams (workspace_id, name) SELECT ${workspace.id}::uuid, 'Team ' || g FROM generate_series(1, 5) g`,
  );
  await db.execute(
    sql`INSERT INTO customers (workspace_id, name) SELECT ${workspace.id}::uuid, 'Customer ' || g FROM generate_series(1, 1000) g`,
  );
  const loadStarted = performance.now();
  // Realistic spread: most tickets solved or closed, a seventh unassigned, five teams, twenty agents.
  await db.execute(sql`
    WITH c AS (SELECT array_agg(id) ids FROM customers WHERE workspace_id = ${workspace.id}),
         t AS (SELECT array_agg(id) ids FROM teams WHERE workspace_id = ${workspace.id}),
         a AS (SELECT array_agg(user_id) ids FROM memberships WHERE workspace_id = ${workspace.id} AND role = 'agent')
    INSERT INTO tickets (workspace_id, number, subject, status, priority, channel, customer_id, assignee_id, team_id, last_activity_at)
    SELECT ${workspace.id}::uuid, g, 'Ticket ' || g,
      (ARRAY['closed','closed','closed','solved','solved','open','pending','on_hold','new','open'])[1 + g % 10]::ticket_status,
      'normal', 'email', c.ids[1 + g % 1000],
      CASE WHEN g % 7 = 0 THEN NULL ELSE a.ids[1 + (g / 10) % 20] END,
      t.ids[1 + (g / 3) % 5], now() - make_interval(secs => g)
    FROM generate_series(1, ${TICKETS}) g, c, t, a`);
  await db.transaction((tx) => rebuildViewCounts(tx, workspace.id));
  await db.execute(sql`ANALYZE tickets`);
  const load_seconds = Math.round((performance.now() - loadStarted) / 100) / 10;
  const me = agents[0]!.id;

  const counters = await timeIt(ROUNDS, () => readViewCounts(db, workspace.id));
  // The same sidebar answered by counting tickets, each query on its best index.
  const countByIndex = () =>
    queryRows(
      db,
      sql`SELECT
        (SELECT count(*) FROM tickets WHERE workspace_id = ${workspace.id} AND status IN ('new','open','pending','on_hold')) AS unsolved,
        (SELECT count(*) FROM tickets WHERE workspace_id = ${workspace.id} AND status IN ('new','open','pending','on_hold') AND assignee_id IS NULL) AS unassigned,
        (SELECT count(*) FROM tickets WHERE assignee_id = ${me} AND status IN ('new','open','pending','on_hold')) AS mine,
        (SELECT json_object_agg(status, n) FROM (SELECT status, count(*) n FROM tickets WHERE workspace_id = ${workspace.id} GROUP BY status) s) AS by_status`,
    );
  const baseline = await timeIt(Math.min(ROUNDS, 10), countByIndex);
  const [truth] = await countByIndex();
  const kept = await readViewCounts(db, workspace.id);
  const fromCounters = {
    unsolved: kept.unsolved ?? 0,
    unassigned: kept.unassigned ?? 0,
    mine: kept[`assignee:${me}`] ?? 0,
  };
  const t = truth as { unsolved: string | number; unassigned: string | number; mine: string | number };
  const matches =
    fromCounters.unsolved === Number(t.unsolved) &&
    fromCounters.unassigned === Number(t.unassigned) &&
    fromCounters.mine === Number(t.mine);
  return {
    database: database.kind,
    tickets: TICKETS,
    load_seconds,
    counters,
    baseline_count_by_index: baseline,
    speedup_p50: Math.round((baseline.p50_ms / Math.max(counters.p50_ms, 0.01)) * 10) / 10,
    counts_match: matches,
    counts: fromCounters,
  };
}

export default async function countsBench() {
  const results = [];
  const pglite = await openDatabase({});
  try {
    results.push(await run(pglite));
  } finally {
    await pglite.close();
  }
  if (process.env.BENCH_DATABASE_URL) {
    const postgres = await openDatabase({ url: process.env.BENCH_DATABASE_URL, poolSize: 2 });
    try {
      results.push(await run(postgres));
    } finally {
      await postgres.close();
    }
  }
  return { results, aim: 'view counts stay fast at a million tickets: answered without scanning tickets' };
}
