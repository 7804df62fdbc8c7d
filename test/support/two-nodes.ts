import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type Database, openDatabase } from '../../src/platform/db/database.ts';
import { ownPostgresDatabase } from './databases.ts';
import { freePort, type Server, startServer, stopServer, waitForHealth } from './server-process.ts';

export type TwoNodes = { servers: [Server, Server]; database: Database };

/**
 * Two `rapport start` processes on a PostgreSQL database of the suite's own (their relays must not take
 * other files' events), started before the suite's tests and stopped after. Read `nodes` inside tests.
 */
export function useTwoNodes(
  serverUrl: string,
  label: string,
  nodes: [{ name: string; roles: string }, { name: string; roles: string }],
  /** More environment for both processes, e.g. another RAPPORT_FANOUT. */
  env: Record<string, string> = {},
): TwoNodes {
  const servers: Server[] = [];
  const dataDir = mkdtempSync(path.join(tmpdir(), `rapport-${label}-`));
  let own: Awaited<ReturnType<typeof ownPostgresDatabase>> | undefined;
  const world = { servers: servers as unknown as [Server, Server] } as TwoNodes;

  beforeAll(async () => {
    own = await ownPostgresDatabase(serverUrl, label);
    for (const [index, node] of nodes.entries()) {
      const port = await freePort();
      servers.push(startServer(node.name, port, path.join(dataDir, String(index)), own.url, node.roles, env));
    }
    try {
      await Promise.all(servers.map((server) => waitForHealth(server)));
      world.database = await openDatabase({ url: own.url, poolSize: 2 });
    } catch (error) {
      await Promise.all(servers.map(stopServer));
      throw error;
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    await world.database?.close();
    await own?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  return world;
}
