// Ingest: 32 API clients open tickets (with customer upsert) as fast as the server answers, on PGlite
// and, when BENCH_DATABASE_URL is set, on real PostgreSQL; each beside a bare one-INSERT baseline.
//
// The servers run as child processes (startRapport with the web and worker roles, see
// support/app-server.ts), not in this one: in-process, autocannon's work of building, sending and
// parsing requests would run on the server's event loop, counting against its latency and capping
// both at one thread. Separate processes, as in production, let the server, the load generator and
// PostgreSQL each take a core when they need it.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, queryRows } from '../src/platform/db/database.ts';
import { coresUsed, cpuSnapshot } from './support/cpu.ts';
import { type ChildServer, startChildServer } from './support/processes.ts';
import { RETURNING_POOL, RETURNING_SHARE, ticketBodies } from './support/ticket-bodies.ts';

const CONNECTIONS = 32;
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);
const AIM = { database: 'postgres', tickets_per_s: 1500, ratio_to_baseline: 0.4 } as const;
const ADMIN = { email: 'bench@example.com', password: 'bench-password-not-secret' };

type Target = { database: 'pglite' | 'postgres'; url?: string | undefined };

const log = (message: string) => console.error(`[ingest] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function durations() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('BENCH_SECONDS must be a positive number');
  return { seconds, warmup: Math.min(3, Math.max(1, seconds / 5)) };
}

/** A load phase's outcome; tickets/inserts per second count only 2xx answers. */
type Phase = {
  result: AutocannonResult;
  okIds: string[];
  failures: string[];
};

async function drive(url: string, request: AutocannonRequest, seconds: number): Promise<Phase> {
  const okIds: string[] = [];
  const failures: string[] = [];
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        ...request,
        onResponse(status, body) {
          if (status >= 200 && status < 300) {
            const id = /"id":"?([0-9a-f-]+)"?/.exec(body)?.[1];
            if (id) okIds.push(id);
          } else if (failures.length < 5) failures.push(`${status} ${body.slice(0, 300)}`);
        },
      },
    ],
  });
  return { result, okIds, failures };
}

function figures(phase: Phase) {
  const { result } = phase;
  const answered = result['2xx'] + result.non2xx;
  return {
    per_s: round(result['2xx'] / result.duration),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    // Requests autocannon had sent when its clock ran out and cut the connections.
    unanswered_at_stop: Math.max(0, result.requests.sent - answered),
    seconds: result.duration,
    ...(phase.failures.length ? { failure_samples: phase.failures } : {}),
  };
}

async function api<T>(
  base: string,
  method: string,
  route: string,
  init: { headers?: Record<string, string>; body?: unknown } = {},
) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!response.ok)
    throw new Error(`${method} ${route} answered ${response.status}: ${await response.text()}`);
  return { body: (await response.json()) as T, headers: response.headers };
}

/** Signs in as the bootstrap admin and makes an API token, as an integration would. */
async function apiToken(base: string): Promise<string> {
  const login = await api(base, 'POST', '/api/v1/auth/login', { body: ADMIN });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const created = await api<{ token: string }>(base, 'POST', '/api/v1/tokens', {
    headers: { cookie },
    body: { name: 'ingest bench' },
  });
  return created.body.token;
}

/** The workspace's ticket total from the counters, once it stops moving (cut-off requests still finish). */
async function settledTicketCount(base: string, token: string): Promise<number> {
  let last = -1;
  for (let i = 0; i < 60; i++) {
    const { body } = await api<{ byStatus: Record<string, number> }>(base, 'GET', '/api/v1/tickets/counts', {
      headers: { authorization: `Bearer ${token}` },
    });
    const total = Object.values(body.byStatus).reduce((sum, n) => sum + n, 0);
    if (total === last) return total;
    last = total;
    await sleep(500);
  }
  return last;
}

/** Refuses a database that already holds data: the bench signs in as the admin it bootstraps. */
async function assertEmptyDatabase(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'bench_baseline'`,
    );
    if (Number(rows[0]!.n) > 0)
      throw new Error(
        'BENCH_DATABASE_URL must name an empty database; drop and recreate it, e.g. ' +
          `psql -c 'drop database rapport_bench' -c 'create database rapport_bench'`,
      );
  } finally {
    await client.end();
  }
}

/** Reads what the server stored, straight from the database after it stopped. */
async function storedFacts(target: Target, dataDir: string, ids: string[]) {
  const database = await openDatabase(
    target.url ? { url: target.url, poolSize: 1 } : { dataDir: path.join(dataDir, 'pglite') },
  );
  try {
    const count = async (query: ReturnType<typeof sql>) =>
      Number((await queryRows<{ n: number }>(database.db, query))[0]!.n);
    return {
      tickets: await count(sql`SELECT count(*)::int AS n FROM tickets`),
      messages: await count(sql`SELECT count(*)::int AS n FROM messages`),
      customers: await count(sql`SELECT count(*)::int AS n FROM customers`),
      acknowledgedStored: await count(
        sql`SELECT count(*)::int AS n FROM tickets WHERE id = ANY(${`{${ids.join(',')}}`}::uuid[])`,
      ),
      outboxPending: await count(sql`SELECT count(*)::int AS n FROM outbox WHERE processed_at IS NULL`),
    };
  } finally {
    await database.close();
  }
}

/** CPU seconds a process has used, from /proc (clock ticks of 1/100 s); undefined once it is gone. */
function processSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function backendPids(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

/**
 * Starts measuring a run's CPU: cores per party (see cpu.ts), and milliseconds per acknowledged request
 * of the server and of the PostgreSQL backends of this database alone, which stay comparable when other
 * work shares the machine or the PostgreSQL server (call after the warm-up has opened the pool).
 */
async function startCpuMeter(serverPid: number, target: Target) {
  const withPostgres = target.database === 'postgres';
  const backends = target.url ? await backendPids(target.url) : [];
  const backendsBefore = backends.map(processSeconds);
  const before = cpuSnapshot(serverPid, withPostgres);
  return (acknowledged: number) => {
    const after = cpuSnapshot(serverPid, withPostgres);
    let database = 0;
    for (const [i, pid] of backends.entries()) {
      const [from, to] = [backendsBefore[i], processSeconds(pid)];
      if (from !== undefined && to !== undefined) database += to - from;
    }
    const perRequest = (seconds: number) => round((seconds / Math.max(1, acknowledged)) * 1000, 3);
    return {
      cores: coresUsed(before, after),
      ms_per_request: {
        server: perRequest((after.server ?? 0) - (before.server ?? 0)),
        postgres_this_database: target.url ? perRequest(database) : null,
      },
    };
  };
}

async function measureApp(target: Target, dataDir: string, seconds: number, warmup: number) {
  const args = ['--import', 'tsx', 'bench/support/app-server.ts'];
  const server = await startChildServer({
    args,
    ready: /rapport listening on port (\d+)/,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      RAPPORT_PUBLIC_URL: '',
      DATABASE_URL: target.url ?? '',
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      RAPPORT_DATA_DIR: dataDir,
      RAPPORT_ADMIN_EMAIL: ADMIN.email,
      RAPPORT_ADMIN_PASSWORD: ADMIN.password,
      // BENCH_ROLES=web leaves out the outbox relay and jobs, to see what the request path alone costs.
      RAPPORT_ROLES: process.env.BENCH_ROLES ?? 'web,worker',
      LOG_LEVEL: 'warn',
    },
  });
  let stopped = false;
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const token = await apiToken(base);
    const nextTicket = ticketBodies(Date.now().toString(36));
    const request: AutocannonRequest = {
      method: 'POST',
      path: '/api/v1/tickets',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, body: JSON.stringify(nextTicket()) }),
    };
    log(`${target.database}: app warm-up ${warmup}s`);
    const warm = await drive(base, request, warmup);
    await settledTicketCount(base, token);
    log(`${target.database}: app ${seconds}s with ${CONNECTIONS} connections`);
    const meter = await startCpuMeter(server.pid, target);
    const run = await drive(base, request, seconds);
    const cpu = meter(run.result['2xx']);
    const counted = await settledTicketCount(base, token);
    await server.stop();
    stopped = true;

    const ids = [...warm.okIds, ...run.okIds];
    const acknowledged = warm.result['2xx'] + run.result['2xx'];
    const unanswered = figures(warm).unanswered_at_stop + figures(run).unanswered_at_stop;
    const stored = await storedFacts(target, dataDir, ids);
    const extra = stored.tickets - acknowledged;
    return {
      run: figures(run),
      cpu,
      verification: {
        acknowledged,
        acknowledged_ids_read: ids.length,
        acknowledged_stored: stored.acknowledgedStored,
        unanswered_at_stop: unanswered,
        stored: stored.tickets,
        counts_endpoint: counted,
        messages: stored.messages,
        customers: stored.customers,
        outbox_pending_at_stop: stored.outboxPending,
        // Every 2xx is stored, and the only extra tickets are requests cut off when the clock ran out.
        stored_matches_acknowledged:
          ids.length === acknowledged &&
          stored.acknowledgedStored === acknowledged &&
          extra >= 0 &&
          extra <= unanswered &&
          counted === stored.tickets &&
          stored.messages === stored.tickets,
      },
    };
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\nserver output:\n${server.output()}`,
    );
  } finally {
    if (!stopped) await server.stop();
  }
}

async function measureBaseline(target: Target, dataDir: string, seconds: number, warmup: number) {
  const server: ChildServer = await startChildServer({
    args: ['--import', 'tsx', 'bench/support/baseline-server.ts'],
    ready: /baseline listening on port (\d+)/,
    env: {
      ...process.env,
      BASELINE_DATABASE_URL: target.url ?? '',
      BASELINE_DATA_DIR: path.join(dataDir, 'baseline-pglite'),
      BASELINE_POOL_SIZE: String(POOL_SIZE),
    },
  });
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const nextTicket = ticketBodies(Date.now().toString(36));
    const request: AutocannonRequest = {
      method: 'POST',
      path: '/ingest',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, body: JSON.stringify(nextTicket()) }),
    };
    log(`${target.database}: baseline warm-up ${warmup}s`);
    await drive(base, request, warmup);
    log(`${target.database}: baseline ${seconds}s with ${CONNECTIONS} connections`);
    const meter = await startCpuMeter(server.pid, target);
    const run = await drive(base, request, seconds);
    const cpu = meter(run.result['2xx']);
    return { run: figures(run), cpu };
  } finally {
    await server.stop();
  }
}

async function benchTarget(target: Target) {
  const { seconds, warmup } = durations();
  if (target.url) await assertEmptyDatabase(target.url);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `rapport-bench-${target.database}-`));
  try {
    // Baseline first, on a fresh database, so nothing the app left behind (autovacuum) slows it.
    const baseline = await measureBaseline(target, dataDir, seconds, warmup);
    const app = await measureApp(target, dataDir, seconds, warmup);
    const { per_s, ...rest } = app.run;
    const { per_s: baselinePerS, ...baselineRest } = baseline.run;
    return {
      database: target.database,
      tickets_per_s: per_s,
      ...rest,
      stored_matches_acknowledged: app.verification.stored_matches_acknowledged,
      verification: app.verification,
      cpu_cores: app.cpu.cores,
      cpu_ms_per_ticket: app.cpu.ms_per_request,
      baseline: {
        inserts_per_s: baselinePerS,
        ...baselineRest,
        cpu_cores: baseline.cpu.cores,
        cpu_ms_per_insert: baseline.cpu.ms_per_request,
      },
      ratio_to_baseline: round(per_s / baselinePerS, 3),
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export default async function ingest() {
  const { seconds, warmup } = durations();
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) log('BENCH_DATABASE_URL is not set: PGlite only');
  // BENCH_DATABASES=postgres (or pglite) runs one of them, for quick rounds while tuning.
  const only = process.env.BENCH_DATABASES?.split(',').map((name) => name.trim());
  const targets = (
    [{ database: 'pglite' }, ...(url ? [{ database: 'postgres', url }] : [])] as Target[]
  ).filter((target) => !only || only.includes(target.database));
  const results = [];
  for (const target of targets) results.push(await benchTarget(target));
  const postgres = results.find((r) => r.database === 'postgres');
  return {
    description:
      'POST /api/v1/tickets (new ticket + first message, customer found or created by email) ' +
      `with an API token, ${CONNECTIONS} connections; baseline: bare Fastify route, one INSERT, same driver`,
    connections: CONNECTIONS,
    seconds,
    warmup_seconds: warmup,
    pool_size: POOL_SIZE,
    customers: { returning_share: RETURNING_SHARE, returning_pool: RETURNING_POOL },
    results,
    aim: {
      ...AIM,
      met: postgres
        ? postgres.tickets_per_s >= AIM.tickets_per_s && postgres.ratio_to_baseline >= AIM.ratio_to_baseline
        : null,
    },
  };
}
