// Realtime fan-out between two hubs with their own connections, as two nodes have them: writers commit
// transactions that each publish one message (as a chat send does), a second hub counts arrivals.
// Baseline: RAPPORT_FANOUT=postgres (NOTIFY, which serialises notifying commits on PostgreSQL's one
// notify-queue lock), against redis and nats (held until commit by sendAfterCommit). Needs
// BENCH_DATABASE_URL (PostgreSQL; any database, nothing is written) and Redis / NATS on loopback.
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/platform/db/database.ts';
import { createLogger } from '../src/platform/logger.ts';
import { sendAfterCommit } from '../src/platform/realtime/commit-gate.ts';
import { createRealtimeHub, type RealtimeMessage } from '../src/platform/realtime/hub.ts';
import { createNatsTransport } from '../src/platform/realtime/nats-transport.ts';
import { createRedisTransport } from '../src/platform/realtime/redis-transport.ts';
import { createPostgresTransport, type FanOutTransport } from '../src/platform/realtime/transport.ts';

const MESSAGES = Number(process.env.BENCH_FANOUT_MESSAGES ?? 4000);
const WRITERS = 16;
const log = (line: string) => console.error(`[fanout] ${line}`);

export default async function fanout() {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) return { skipped: 'set BENCH_DATABASE_URL to a PostgreSQL database' };
  const logger = createLogger('silent');
  const database = await openDatabase({ url, poolSize: WRITERS + 2 });
  const channel = `rapport_bench_${process.pid}`;
  const transports: Record<string, () => Promise<FanOutTransport>> = {
    postgres: async () => createPostgresTransport(database),
    redis: async () =>
      sendAfterCommit(
        await createRedisTransport({ url: 'redis://127.0.0.1:6379', logger, channel }),
        database,
        logger,
      ),
    nats: async () =>
      sendAfterCommit(
        await createNatsTransport({ url: 'nats://127.0.0.1:4222', logger, subject: channel }),
        database,
        logger,
      ),
  };
  const results: Record<string, unknown> = { messages: MESSAGES, concurrent_writers: WRITERS };
  try {
    for (const [kind, open] of Object.entries(transports)) {
      log(kind);
      const [sender, receiver] = [await open(), await open()];
      try {
        results[kind] = await run(database, sender, receiver);
      } catch (error) {
        results[kind] = `failed: ${error instanceof Error ? error.message : String(error)}`;
      } finally {
        await sender.close();
        await receiver.close();
      }
    }
  } finally {
    await database.close();
  }
  return results;
}

async function run(
  database: Awaited<ReturnType<typeof openDatabase>>,
  sender: FanOutTransport,
  receiver: FanOutTransport,
) {
  const logger = createLogger('silent');
  const workspaceId = crypto.randomUUID();
  const hubA = createRealtimeHub(database, logger, sender);
  const hubB = createRealtimeHub(database, logger, receiver);
  await hubB.start();
  const latencies: number[] = [];
  let resolveAll: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });
  const unsubscribe = hubB.subscribe(workspaceId, (message: RealtimeMessage) => {
    latencies.push(performance.now() - (message.data.at as number));
    if (latencies.length === MESSAGES) resolveAll();
  });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < MESSAGES) {
        next++;
        await database.db.transaction((tx) =>
          hubA.publish(tx, { workspaceId, type: 'bench', data: { at: performance.now() } }),
        );
      }
    }),
  );
  const committed = performance.now() - started;
  await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  const elapsed = performance.now() - started;
  unsubscribe();
  await hubB.stop();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
  return {
    delivered: latencies.length,
    commits_per_second: Math.round(MESSAGES / (committed / 1000)),
    delivered_per_second: Math.round(latencies.length / (elapsed / 1000)),
    latency_ms: { p50: at(0.5), p99: at(0.99), max: at(1) },
  };
}
