import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/platform/db/database.ts';
import { describePostgresOnly, ownPostgresDatabase } from '../support/databases.ts';
import { makeUser, makeWorkspace, ticketRequest } from '../support/factories.ts';
import { bearerFor } from '../support/http.ts';
import {
  freePort,
  killServer,
  outputOf,
  type Server,
  startServer,
  stopServer,
  waitForHealth,
} from '../support/server-process.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The crash window of an idempotent POST: the node dies after its write is visible in PostgreSQL.
 * A second session holds the key's row locked as soon as it exists, the way a slow disk or a busy
 * row would, so a design that stores the answer after the commit is caught between the two.
 */
describePostgresOnly('an idempotent POST whose node is killed once its write is visible', (serverUrl) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rapport-idem-crash-'));
  const servers: Server[] = [];
  let own: Awaited<ReturnType<typeof ownPostgresDatabase>>;
  let database: Database;
  let locker: pg.Client;
  let watcher: pg.Client;

  const start = async (name: string) => {
    const server = startServer(name, await freePort(), path.join(dataDir, name), own.url, 'web');
    servers.push(server);
    await waitForHealth(server);
    return server;
  };

  beforeAll(async () => {
    own = await ownPostgresDatabase(serverUrl, 'idemcrash');
    try {
      await Promise.all([start('a'), start('b')]);
    } catch (error) {
      await Promise.all(servers.map(stopServer));
      throw error;
    }
    database = await openDatabase({ url: own.url, poolSize: 2 });
    locker = new pg.Client({ connectionString: own.url });
    watcher = new pg.Client({ connectionString: own.url });
    await Promise.all([locker.connect(), watcher.connect()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    await Promise.all([locker?.end(), watcher?.end()].map((end) => end?.catch(() => {})));
    await database?.close();
    await own?.drop();
    rmSync(dataDir, { recursive: true, force: true });
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
    const [a, b] = servers as [Server, Server];

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

    const restarted = await start('a2');
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
