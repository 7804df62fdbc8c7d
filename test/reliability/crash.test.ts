// Nothing acknowledged is lost when an app node dies (SIGKILL), and nothing is written twice. The
// suites of this file share its PostgreSQL connections' budget by running one after the other.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Database, openDatabase, queryRows } from '../../src/platform/db/database.ts';
import { describePostgresOnly, ownPostgresDatabase } from '../support/databases.ts';
import { makeUser, makeWorkspace, ticketRequest } from '../support/factories.ts';
import { bearerFor } from '../support/http.ts';
import { killServer, outputOf, type Server } from '../support/server-process.ts';
import { type Cluster, chaos, seeded, sleep, startCluster } from './cluster.ts';
import { loadWorld, startLoad, VERIFIER } from './load-world.ts';

// A failing run prints its seed; CRASH_SEED replays the same kill moments.
const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
const LOAD_MS = 25_000;
const CUT_MS = 15_000;

describePostgresOnly(
  'two app nodes killed (SIGKILL) at random moments under API, SMTP and chat load',
  (serverUrl) => {
    const world = loadWorld(serverUrl, 'crash', 2);

    it('stores every acknowledged ticket, reply, email and chat message once, mails every reply, runs every SLA job', async () => {
      const { cluster } = world();
      const load = await startLoad(world(), { chats: 4, mailWaitMs: 40_000, slaWarnings: true });
      // Kills one node at a time and starts it again; clients retry on the other one meanwhile.
      const killer = chaos(cluster, { random: seeded(seed), minMs: 1000, maxMs: 4000 });
      await sleep(LOAD_MS);
      const kills = await killer.stop();
      const tally = await load.finish();
      const summary = {
        seed,
        kills,
        retries: load.ledger.retries,
        ...tally,
        problems: tally.problems.slice(0, 10),
      };
      console.log(`[crash test] ${JSON.stringify(summary)}`);
      expect(kills, `seed ${seed}`).toBeGreaterThan(0);
      expect(load.ledger.retries, 'a kill that no client noticed proves nothing').toBeGreaterThan(0);
      expect(tally.acknowledged.tickets).toBeGreaterThan(0);
      expect(tally.acknowledged.emails).toBeGreaterThan(0);
      expect(tally.acknowledged.chats).toBeGreaterThan(0);
      expect(tally.problems, `seed ${seed}\n${cluster.output()}`).toEqual([]);
    }, 240_000);
  },
);

/**
 * The crash window of an idempotent POST: the node dies after its write is visible in PostgreSQL.
 * A second session holds the key's row locked as soon as it exists, the way a slow disk or a busy
 * row would, so a design that stores the answer after the commit is caught between the two.
 */
describePostgresOnly('an idempotent POST whose node is killed once its write is visible', (serverUrl) => {
  let own: Awaited<ReturnType<typeof ownPostgresDatabase>>;
  let cluster: Cluster | undefined;
  let database: Database;
  let locker: pg.Client;
  let watcher: pg.Client;

  beforeAll(async () => {
    own = await ownPostgresDatabase(serverUrl, 'idemcrash');
    // No mail is sent here; the relay URL only has to be valid.
    cluster = await startCluster({ count: 2, databaseUrl: own.url, relayUrl: 'smtp://127.0.0.1:9' });
    database = await openDatabase({ url: own.url, poolSize: 2 });
    locker = new pg.Client({ connectionString: own.url });
    watcher = new pg.Client({ connectionString: own.url });
    await Promise.all([locker.connect(), watcher.connect()]);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await Promise.all([locker?.end(), watcher?.end()].map((end) => end?.catch(() => {})));
    await database?.close();
    await own?.drop();
  }, 30_000);

  /** Sends `body` to `victim`, kills it once `written` finds the write, then retries on `survivor`. */
  async function crashAndRetry(
    victim: Server,
    survivor: Server,
    request: { url: string; headers: Record<string, string>; body: unknown },
    written: string,
    writtenParams: unknown[],
  ) {
    const key = request.headers['idempotency-key'];
    const send = (server: Server) =>
      fetch(`http://127.0.0.1:${server.port}${request.url}`, {
        method: 'POST',
        headers: { ...request.headers, 'content-type': 'application/json' },
        body: JSON.stringify(request.body),
      });
    const first = send(victim).catch(() => undefined);
    let locked = false;
    let seen: { writes: number; completed: boolean | null } | undefined;
    const deadline = Date.now() + 20_000;
    while (!seen && Date.now() < deadline) {
      if (!locked) {
        await locker.query('BEGIN');
        const row = await locker.query('SELECT 1 FROM idempotency_keys WHERE key = $1 FOR UPDATE', [key]);
        locked = row.rowCount === 1;
        if (!locked) await locker.query('ROLLBACK');
      }
      // One statement, one snapshot: the write and the key's state as one moment saw them.
      const state = await watcher.query<{ writes: number; completed: boolean | null }>(
        `SELECT (${written}) AS writes,
                (SELECT completed_at IS NOT NULL FROM idempotency_keys WHERE key = $${writtenParams.length + 1})
                  AS completed`,
        [...writtenParams, key],
      );
      if (state.rows[0]!.writes > 0) seen = state.rows[0];
      else await sleep(2);
    }
    await killServer(victim);
    if (locked) await locker.query('ROLLBACK');
    await first;
    expect(seen, outputOf(victim)).toBeDefined();
    // The write is never visible without the answer that a retry gets back.
    expect(seen!.completed).toBe(true);

    let retry = await send(survivor);
    for (let tries = 0; retry.status === 409 && tries < 20; tries++) {
      await sleep(250);
      retry = await send(survivor);
    }
    expect(retry.status, outputOf(survivor)).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const { rows } = await watcher.query<{ writes: number }>(`SELECT (${written}) AS writes`, writtenParams);
    expect(rows[0]!.writes).toBe(1);
    return (await retry.json()) as { id: string };
  }

  it('stores the ticket and the reply once, and the retry on the other node gets the first answer', async () => {
    const { workspace } = await makeWorkspace(database.db);
    const agent = await makeUser(database.db, workspace.id, 'agent');
    const headers = await bearerFor(database, agent.actor);
    const [a, b] = cluster!.nodes.map((node) => node.server) as [Server, Server];

    const subject = `Crash window ${Date.now()}`;
    const ticket = await crashAndRetry(
      a,
      b,
      {
        url: '/api/v1/tickets',
        headers: { ...headers, 'idempotency-key': `ticket-${subject}` },
        body: ticketRequest('crash@example.test', { subject }),
      },
      'SELECT count(*)::int FROM tickets WHERE workspace_id = $1 AND subject = $2',
      [workspace.id, subject],
    );
    const [stored] = (
      await watcher.query<{ id: string }>('SELECT id FROM tickets WHERE subject = $1', [subject])
    ).rows;
    expect(ticket.id).toBe(stored!.id);

    await cluster!.restart(cluster!.nodes[0]!);
    const restarted = cluster!.nodes[0]!.server;
    const body = `Reply in the crash window ${Date.now()}`;
    const message = await crashAndRetry(
      b,
      restarted,
      {
        url: `/api/v1/tickets/${ticket.id}/messages`,
        headers: { ...headers, 'idempotency-key': `reply-${body}` },
        body: { kind: 'public_reply', body },
      },
      'SELECT count(*)::int FROM messages WHERE ticket_id = $1 AND body_text = $2',
      [ticket.id, body],
    );
    expect(message.id).toBeTruthy();
  }, 90_000);
});

// PostgreSQL drops the app's connections again and again under load (a restart, a failover, an
// admin's pg_terminate_backend): the node reconnects by itself, and nothing acknowledged is lost.
describePostgresOnly('PostgreSQL cutting every app connection, repeatedly, under load', (serverUrl) => {
  const world = loadWorld(serverUrl, 'poolcut', 1);

  // Every connection of the app's (pool, LISTEN, queue); the test's own are spared.
  const cutAll = async () => {
    const { own } = world();
    const [row] = await queryRows<{ n: number }>(
      own.admin.db,
      sql`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
           WHERE datname = ${own.name} AND application_name <> ${VERIFIER} AND pid <> pg_backend_pid()`,
    );
    return row?.n ?? 0;
  };

  it('keeps serving API, SMTP and chat, and every acknowledged write is stored once', async () => {
    const { cluster } = world();
    // A mail whose attempt a cut broke waits out its retry delay (30 s ± 20 %) before it goes.
    const load = await startLoad(world(), { chats: 1, mailWaitMs: 60_000 });
    const random = seeded(seed);
    let cuts = 0;
    let terminated = 0;
    const until = Date.now() + CUT_MS;
    while (Date.now() < until) {
      await sleep(500 + random() * 1500);
      terminated += await cutAll();
      cuts++;
    }
    const apiAcknowledged = () => load.ledger.tickets.length + load.ledger.replies.length;
    const acknowledgedDuringCuts = apiAcknowledged();
    // After the last cut the node still serves: new work is acknowledged without a restart.
    await sleep(3000);
    const tally = await load.finish();
    const summary = {
      seed,
      cuts,
      terminated,
      retries: load.ledger.retries,
      ...tally,
      problems: tally.problems.slice(0, 10),
    };
    console.log(`[pool cut test] ${JSON.stringify(summary)}`);
    expect(cluster.nodes[0]!.server.exited, cluster.output()).toBe(false);
    expect(terminated).toBeGreaterThan(cuts);
    expect(acknowledgedDuringCuts).toBeGreaterThan(0);
    expect(apiAcknowledged()).toBeGreaterThan(acknowledgedDuringCuts);
    expect(tally.acknowledged.emails).toBeGreaterThan(0);
    expect(tally.acknowledged.chats).toBeGreaterThan(0);
    expect(tally.problems, `seed ${seed}\n${cluster.output()}`).toEqual([]);
  }, 150_000);
});
