// SIGTERM drains instead of cutting (issue 13): a request in flight gets its answer and its write is
// stored, a webhook delivery in flight is recorded once as delivered, stream sockets get a close frame
// with a code, new connections are turned away, and the process exits with 0.
import { mkdtempSync, rmSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Database, openDatabase, queryRows } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { describePostgresOnly, ownPostgresDatabase } from '../support/databases.ts';
import { makeUser, makeWorkspace, ticketRequest } from '../support/factories.ts';
import { bearerFor } from '../support/http.ts';
import {
  freePort,
  killServer,
  outputOf,
  type Server,
  startServer,
  waitForHealth,
} from '../support/server-process.ts';
import { openStream } from '../support/stream-client.ts';

// Generous bounds for a loaded two-core machine; none of them is what a test asserts.
const EXIT_WITHIN_MS = 30_000;
const WAIT_MS = 20_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` holds, failing with `what` after a generous wait. */
async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`No ${what} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** How a new TCP connection's request fares: refused, or answered with a status. */
function freshRequest(port: number): Promise<number | 'refused'> {
  return new Promise((resolve) => {
    // agent: false forces a new connection; a kept-alive one would not show whether the port still accepts.
    const request = http.get(
      { host: '127.0.0.1', port, path: '/api/v1/health', agent: false },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', () => resolve('refused'));
  });
}

/** The exit code and signal of a process that was sent SIGTERM; SIGKILLs it and fails if it hangs. */
async function exitOf(server: Server): Promise<{ code: number | null; signal: string | null }> {
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const timedOut = await Promise.race([exited.then(() => false), sleep(EXIT_WITHIN_MS).then(() => true)]);
    if (timedOut) {
      await killServer(server);
      throw new Error(`The process did not exit within ${EXIT_WITHIN_MS} ms of SIGTERM\n${outputOf(server)}`);
    }
  }
  return { code: child.exitCode, signal: child.signalCode };
}

const shuttingDown = (server: Server) => server.output.join('').includes('Received SIGTERM; shutting down');

/** A webhook receiver on loopback that holds every delivery until `answer()` lets it reply 200. */
async function holdingReceiver() {
  const received: string[] = [];
  let answer = () => {};
  const held = new Promise<void>((resolve) => {
    answer = resolve;
  });
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(Buffer.concat(chunks).toString());
      void held.then(() => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answer: () => answer(),
    async close() {
      answer();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A POST whose headers are sent and routed (the server answered 100 Continue) and whose body is sent
 * in two halves: `finish()` sends the second and resolves to the answer.
 */
async function halfSentPost(port: number, url: string, headers: Record<string, string>, payload: unknown) {
  const body = Buffer.from(JSON.stringify(payload));
  const half = Math.floor(body.length / 2);
  const request = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: url,
    agent: false,
    headers: {
      ...headers,
      'content-type': 'application/json',
      'content-length': String(body.length),
      // Node's server answers 100 Continue as it hands the request to Fastify: from then on it is routed.
      expect: '100-continue',
    },
  });
  const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request.once('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
      );
      response.on('error', reject);
    });
    request.once('error', reject);
  });
  answered.catch(() => {});
  const routed = new Promise<void>((resolve) => request.once('continue', () => resolve()));
  request.flushHeaders();
  await routed;
  request.write(body.subarray(0, half));
  return {
    finish() {
      request.end(body.subarray(half));
      return answered;
    },
  };
}

describePostgresOnly('graceful shutdown on SIGTERM', (serverUrl) => {
  let own: Awaited<ReturnType<typeof ownPostgresDatabase>>;
  let database: Database;
  let server: Server | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rapport-shutdown-'));

  // A database of the file's own: the process's relay and workers must not take other files' events.
  beforeAll(async () => {
    own = await ownPostgresDatabase(serverUrl, 'shutdown');
    database = await openDatabase({ url: own.url, poolSize: 2 });
    await migrate(database.db);
  }, 120_000);

  afterAll(async () => {
    if (server) await killServer(server);
    await database?.close();
    await own?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  // One process and one SIGTERM for all three: a server start costs seconds on a loaded machine.
  it('answers and stores a request in flight, refuses new connections, closes streams with 1001, finishes a webhook delivery in flight and exits 0', async () => {
    const receiver = await holdingReceiver();
    try {
      // The webhook fires in one workspace, the request in flight writes in another: one delivery only.
      const hooked = await makeWorkspace(database.db);
      const adminHeaders = {
        ...(await bearerFor(database, hooked.admin.actor)),
        'content-type': 'application/json',
      };
      const { workspace } = await makeWorkspace(database.db);
      const agent = await makeUser(database.db, workspace.id, 'agent');
      const headers = await bearerFor(database, agent.actor);

      const port = await freePort();
      server = startServer('shutdown', port, dataDir, own.url, 'web,worker', {
        RAPPORT_ALLOW_PRIVATE_TARGETS: 'true',
        DATABASE_POOL_SIZE: '4',
      });
      await waitForHealth(server);
      const base = `http://127.0.0.1:${port}`;

      const subscribed = await fetch(`${base}/api/v1/webhooks`, {
        method: 'POST',
        headers: adminHeaders,
        body: JSON.stringify({ url: receiver.url, events: ['ticket.created'] }),
      });
      expect(subscribed.status, await subscribed.clone().text()).toBe(201);
      const webhook = (await subscribed.json()) as { id: string };
      const hookedTicket = await fetch(`${base}/api/v1/tickets`, {
        method: 'POST',
        headers: adminHeaders,
        body: JSON.stringify(ticketRequest('hook@example.test', { subject: 'Delivered while stopping' })),
      });
      expect(hookedTicket.status, await hookedTicket.clone().text()).toBe(201);
      await until(() => receiver.received.length > 0, 'webhook delivery at the receiver', 30_000);

      const stream = await openStream(`ws://127.0.0.1:${port}/api/v1/stream`, headers);
      const subject = `In flight at SIGTERM ${Date.now()}`;
      const inFlight = await halfSentPost(
        port,
        '/api/v1/tickets',
        headers,
        ticketRequest('drain@example.test', { subject }),
      );

      server.child.kill('SIGTERM');
      await until(() => shuttingDown(server!), 'shutdown line in the output');
      // The listener closes while the request is still waiting for the rest of its body.
      await until(async () => (await freshRequest(port)) !== 200, 'refusal of a new connection');
      expect(['refused', 503], outputOf(server)).toContain(await freshRequest(port));
      expect(server.exited, 'the process must wait for the request in flight').toBe(false);

      // A close frame with "going away", not 1005 (a frame without a code) or 1006 (TCP dropped).
      const closed = await stream.closed;
      expect(closed.code, outputOf(server)).toBe(1001);

      const answer = await inFlight.finish();
      expect(answer.status, `${answer.text}\n${outputOf(server)}`).toBe(201);
      const created = JSON.parse(answer.text) as { id: string; subject: string };
      expect(created.subject).toBe(subject);

      // The delivery is still unanswered: the workers' stop must wait for it rather than exit under it.
      await sleep(1500);
      expect(server.exited, 'the process must wait for the webhook delivery in flight').toBe(false);
      receiver.answer();

      expect(await exitOf(server), outputOf(server)).toEqual({ code: 0, signal: null });

      const stored = await queryRows<{ id: string }>(
        database.db,
        sql`SELECT id FROM tickets WHERE workspace_id = ${workspace.id} AND subject = ${subject}`,
      );
      expect(stored.map((row) => row.id)).toEqual([created.id]);
      const deliveries = await queryRows<{
        status: string;
        attempts: number;
        last_status_code: number | null;
        locked_until: Date | null;
        tries: number;
      }>(
        database.db,
        sql`SELECT d.status, d.attempts, d.last_status_code, d.locked_until,
                   (SELECT count(*)::int FROM webhook_attempts a WHERE a.delivery_id = d.id) AS tries
            FROM webhook_deliveries d WHERE d.subscription_id = ${webhook.id}`,
      );
      expect(deliveries, outputOf(server)).toEqual([
        { status: 'succeeded', attempts: 1, last_status_code: 200, locked_until: null, tries: 1 },
      ]);
      expect(receiver.received).toHaveLength(1);
      expect(JSON.parse(receiver.received[0]!)).toMatchObject({ type: 'ticket.created' });
    } finally {
      await receiver.close();
    }
  }, 120_000);
});
