import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/platform/db/database.ts';
import { describePostgresOnly, ownPostgresDatabase } from './support/databases.ts';
import { makeUser, makeWorkspace } from './support/factories.ts';
import { bearerFor } from './support/http.ts';
import {
  freePort,
  outputOf,
  type Server,
  startServer,
  stopServer,
  waitForHealth,
} from './support/server-process.ts';
import { openStream, type StreamClient } from './support/stream-client.ts';

describePostgresOnly('realtime stream across two server processes', (serverUrl) => {
  const servers: Server[] = [];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rapport-cross-process-'));
  // A database of its own: the servers' outbox relays must not take other test files' events.
  let own: Awaited<ReturnType<typeof ownPostgresDatabase>>;
  let database: Database;

  beforeAll(async () => {
    own = await ownPostgresDatabase(serverUrl, 'xproc');
    const [portA, portB] = [await freePort(), await freePort()];
    // B runs no outbox relay, so whatever reaches its sockets was published by another process.
    servers.push(startServer('process A', portA!, path.join(dataDir, 'a'), own.url, 'web,worker'));
    servers.push(startServer('process B', portB!, path.join(dataDir, 'b'), own.url, 'web'));
    try {
      await Promise.all(servers.map((server) => waitForHealth(server)));
      database = await openDatabase({ url: own.url, poolSize: 2 });
    } catch (error) {
      await Promise.all(servers.map(stopServer));
      throw error;
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    await database?.close();
    await own?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('delivers events and presence between sockets on different processes', async () => {
    const [a, b] = servers as [Server, Server];
    const { admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    let stream: StreamClient | undefined;
    let onA: StreamClient | undefined;
    try {
      stream = await openStream(`ws://127.0.0.1:${b.port}/api/v1/stream`, headers);
      const response = await fetch(`http://127.0.0.1:${a.port}/api/v1/tickets`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          subject: 'Seen from the other node',
          customer: { email: 'cross-process@example.test' },
          message: { body: 'Written on A, expected on B.' },
        }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      const ticket = (await response.json()) as { id: string };
      const created = await stream.waitFor(
        (f) =>
          f.type === 'ticket.created' && (f.data?.ticket as { id?: string } | undefined)?.id === ticket.id,
        `ticket.created for ${ticket.id} on process B's stream`,
        30_000,
      );
      expect(created.eventId).toEqual(expect.any(Number));

      // Presence takes the same road: a colleague on A sees the typist on B.
      const colleague = await makeUser(database.db, admin.actor.workspaceId, 'agent');
      onA = await openStream(
        `ws://127.0.0.1:${a.port}/api/v1/stream`,
        await bearerFor(database, colleague.actor),
      );
      stream.send({ type: 'presence', ticketId: ticket.id, state: 'typing' });
      const typing = await onA.waitFor(
        (f) => f.type === 'presence' && f.data?.ticketId === ticket.id,
        `presence for ${ticket.id} on process A's stream`,
        30_000,
      );
      expect(typing.data).toEqual({ ticketId: ticket.id, userId: admin.id, state: 'typing' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\n${servers.map(outputOf).join('\n')}`);
    } finally {
      stream?.close();
      onA?.close();
    }
  }, 60_000);
});
