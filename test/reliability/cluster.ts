import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  freePort,
  killServer,
  outputOf,
  type Server,
  startServer,
  stopServer,
  waitForHealth,
} from '../support/server-process.ts';

/** One app node of a cluster: its ports stay the same across restarts, like a host's. */
export type Node = { name: string; httpPort: number; smtpPort: number; server: Server; up: boolean };

export type Cluster = {
  nodes: Node[];
  /** The nodes answering now, in a random order (a client tries the next one when one fails). */
  live(): Node[];
  kill(node: Node): Promise<void>;
  restart(node: Node): Promise<void>;
  output(): string;
  stop(): Promise<void>;
};

/**
 * `count` real `rapport start` processes on one PostgreSQL database with every role (web, worker,
 * smtp), mail relayed to `relayUrl`, and chat limits out of the way of a load test.
 */
export async function startCluster(options: {
  count: number;
  databaseUrl: string;
  relayUrl: string;
  random?: () => number;
  env?: Record<string, string>;
}): Promise<Cluster> {
  const random = options.random ?? Math.random;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rapport-cluster-'));
  const env = {
    RAPPORT_SMTP_RELAY_URL: options.relayUrl,
    RAPPORT_ALLOW_PRIVATE_TARGETS: 'true',
    RAPPORT_EMAIL_SENDER_LIMIT: '100000',
    RAPPORT_CHAT_MESSAGES_PER_SECOND: '1000',
    RAPPORT_CHAT_CONNECTIONS_PER_IP: '10000',
    // A few connections per node: the test's PostgreSQL is shared with other tests running meanwhile.
    DATABASE_POOL_SIZE: '4',
    // A job held by a killed node goes back to the queue within seconds, not the production half minute.
    RAPPORT_JOB_HEARTBEAT_SECONDS: '10',
    RAPPORT_JOB_SUPERVISE_SECONDS: '2',
    ...options.env,
  };
  const nodes: Node[] = [];
  for (let i = 0; i < options.count; i++) {
    const name = `node-${String.fromCharCode(97 + i)}`;
    nodes.push({
      name,
      httpPort: await freePort(),
      smtpPort: await freePort(),
      server: undefined!,
      up: false,
    });
  }
  const spawn = (node: Node) => {
    node.server = startServer(
      node.name,
      node.httpPort,
      path.join(dataDir, node.name),
      options.databaseUrl,
      'web,worker,smtp',
      { ...env, RAPPORT_SMTP_PORT: String(node.smtpPort) },
    );
  };
  const cluster: Cluster = {
    nodes,
    live() {
      return nodes.filter((node) => node.up).sort(() => random() - 0.5);
    },
    async kill(node) {
      node.up = false;
      await killServer(node.server);
    },
    async restart(node) {
      // As a supervisor would: a start that fails or hangs (PostgreSQL, shared with other tests, out
      // of connection slots) is ended and tried again.
      for (let attempt = 1; ; attempt++) {
        spawn(node);
        try {
          await waitForHealth(node.server, 30_000);
          break;
        } catch (error) {
          await killServer(node.server);
          if (attempt >= 3) throw error;
          await sleep(1000);
        }
      }
      node.up = true;
    },
    output: () => nodes.map((node) => outputOf(node.server)).join('\n'),
    async stop() {
      for (const node of nodes) node.up = false;
      await Promise.all(nodes.map((node) => (node.server ? stopServer(node.server) : undefined)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    // One at a time: the first runs the migrations the others then find done.
    for (const node of nodes) await cluster.restart(node);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** Kills (SIGKILL) a random node at seeded-random moments and starts it again, until `stop()`. */
export function chaos(cluster: Cluster, options: { random: () => number; minMs: number; maxMs: number }) {
  let stopping = false;
  let kills = 0;
  const done = (async () => {
    while (!stopping) {
      await sleep(options.minMs + options.random() * (options.maxMs - options.minMs));
      if (stopping) break;
      const victim = cluster.nodes[Math.floor(options.random() * cluster.nodes.length)]!;
      // Never both down at once: a client always has a node to retry on.
      if (cluster.live().length < cluster.nodes.length) continue;
      await cluster.kill(victim);
      kills++;
      await cluster.restart(victim);
    }
  })();
  return {
    async stop() {
      stopping = true;
      await done;
      return kills;
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small seeded generator (mulberry32), so a failing run can be replayed with its seed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
