// Chat: simulated visitors over WebSocket ramp to BENCH_VISITORS (default 5,000) on one node; BENCH_ACTIVE
// of them (default 1,000) open a conversation each (at BENCH_OPEN_RATE/s, reported as new_conversations),
// then send BENCH_RATE messages/s (default 500) in total for BENCH_SECONDS into their open chats; an
// agent's console stream receives them. Prints p50/p99 visitor→agent delivery latency and the server's memory per connection, beside a
// baseline: a bare `ws` server that forwards each visitor frame straight to the agent socket. With
// BENCH_DATABASE_URL (an empty PostgreSQL database) it runs the same across two nodes: visitors on A
// (web only), agent and relay on B.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { type ChildServer, startChildServer } from './support/processes.ts';

const VISITORS = Number(process.env.BENCH_VISITORS ?? 5000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
// Visitors who chat while the rest sit connected; each opens its conversation before the measured run.
const ACTIVE = Math.min(VISITORS, Number(process.env.BENCH_ACTIVE ?? 1000));
// New conversations per second while they open (each is a new ticket and customer).
const OPEN_RATE = Number(process.env.BENCH_OPEN_RATE ?? 100);
const ADMIN = { email: 'bench@example.com', password: 'bench-password-not-secret' };
const AIM = { p99_ms_one_node: 100, p99_ms_two_nodes: 150 };

const log = (message: string) => console.error(`[chat] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
}

type Socket = { ws: WebSocket; ready: Promise<unknown>; conversationId?: string };

/** Opens `count` sockets in batches, each resolving once `isReady` sees its frame. */
async function openMany(
  count: number,
  url: string,
  onOpen: (ws: WebSocket) => void,
  isReady: (frame: Record<string, unknown>) => boolean,
) {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += 200) {
    const batch = Array.from({ length: Math.min(200, count - i) }, () => {
      const ws = new WebSocket(url);
      const ready = new Promise((resolve, reject) => {
        ws.on('message', (raw) => {
          const frame = JSON.parse(raw.toString()) as Record<string, unknown>;
          if (frame.type === 'hello') onOpen(ws);
          if (isReady(frame)) resolve(frame);
        });
        ws.once('error', reject);
        ws.once('close', (code) => reject(new Error(`closed with ${code}`)));
      });
      return { ws, ready };
    });
    await Promise.all(batch.map((s) => s.ready));
    sockets.push(...batch);
  }
  return sockets;
}

/** Sends `rate` messages/s, `total` of them, from the visitors in turn; measures each one's arrival at the agent. */
async function drive(
  visitors: Socket[],
  agent: WebSocket,
  matchOf: (frame: Record<string, unknown>) => string | undefined,
  { rate, total }: { rate: number; total: number } = { rate: RATE, total: Math.round(RATE * SECONDS) },
) {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  agent.on('message', (raw) => {
    const key = matchOf(JSON.parse(raw.toString()) as Record<string, unknown>);
    const at = key ? sentAt.get(key) : undefined;
    if (at === undefined || !key) return;
    latencies.push(performance.now() - at);
    sentAt.delete(key);
  });
  const start = performance.now();
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const key = `k${n}x${Math.random().toString(36).slice(2, 8)}`;
    const visitor = visitors[n % visitors.length]!;
    sentAt.set(key, performance.now());
    const conversationId = visitor.conversationId ?? null;
    visitor.ws.send(JSON.stringify({ type: 'message', clientId: key, text: `bench ${key}`, conversationId }));
  }
  const deadline = performance.now() + 15_000;
  while (sentAt.size > 0 && performance.now() < deadline) await sleep(100);
  const sorted = latencies.sort((a, b) => a - b);
  return {
    sent: total,
    delivered: latencies.length,
    lost: sentAt.size,
    messages_per_s: round(latencies.length / ((performance.now() - start) / 1000)),
    p50_ms: percentile(sorted, 50),
    p99_ms: percentile(sorted, 99),
  };
}

const keyInText = (text: unknown) => (typeof text === 'string' ? /bench (k\S+)/.exec(text)?.[1] : undefined);

async function rapportRun(nodes: ChildServer[]) {
  const [visitorNode, agentNode] = [nodes[0]!, nodes.at(-1)!];
  const base = `http://127.0.0.1:${agentNode.port}`;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const me = (await (await fetch(`${base}/api/v1/me`, { headers: { cookie } })).json()) as {
    workspace: { slug: string };
  };
  const agent = new WebSocket(`ws://127.0.0.1:${agentNode.port}/api/v1/stream`, { headers: { cookie } });
  await new Promise((resolve) => agent.once('message', resolve));
  agent.on('close', (code, reason) => log(`the agent's stream closed: ${code} ${reason.toString()}`));

  const before = rssOf(visitorNode.pid);
  const url = `ws://127.0.0.1:${visitorNode.port}/api/v1/chat/ws?workspace=${me.workspace.slug}`;
  const rampStart = performance.now();
  const visitors = await openMany(
    VISITORS,
    url,
    (ws) => ws.send(JSON.stringify({ type: 'identify' })),
    (f) => f.type === 'ready',
  );
  const rampSeconds = (performance.now() - rampStart) / 1000;
  await sleep(1000);
  const perConnection = (rssOf(visitorNode.pid) - before) / VISITORS;
  log(`${VISITORS} visitors connected in ${round(rampSeconds)} s`);
  // The agent's stream carries every chat message as chat.message the moment it commits (the console's
  // chat panel shows it on that); the outbox's message.created follows.
  const arrived = (frame: Record<string, unknown>) => {
    if (frame.type !== 'chat.message') return undefined;
    return keyInText((frame.data as { message?: { text?: string } | null }).message?.text);
  };
  const active = visitors.slice(0, ACTIVE);
  for (const visitor of active)
    visitor.ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as Record<string, unknown>;
      if (frame.type === 'ack') visitor.conversationId = frame.conversationId as string;
    });
  log(`${ACTIVE} visitors open their conversations at ${OPEN_RATE}/s`);
  const opening = await drive(active, agent, arrived, { rate: OPEN_RATE, total: ACTIVE });
  await sleep(1000);
  const figures = await drive(active, agent, arrived);
  for (const v of visitors) v.ws.terminate();
  agent.terminate();
  return {
    ...figures,
    new_conversations: opening,
    connect_seconds: round(rampSeconds),
    memory_per_connection_kb: round(perConnection / 1024),
  };
}

async function startNode(env: NodeJS.ProcessEnv) {
  return startChildServer({
    args: ['--import', 'tsx', 'bench/support/app-server.ts'],
    env,
    ready: /rapport listening on port (\d+)/,
  });
}

async function baselineRun() {
  const server = await startChildServer({
    args: ['--import', 'tsx', 'bench/support/chat-baseline-server.ts'],
    env: { ...process.env },
    ready: /baseline listening on port (\d+)/,
  });
  try {
    const agent = new WebSocket(`ws://127.0.0.1:${server.port}/?agent=1`);
    await new Promise((resolve) => agent.once('open', resolve));
    const before = rssOf(server.pid);
    const visitors = await openMany(
      VISITORS,
      `ws://127.0.0.1:${server.port}/`,
      () => {},
      (f) => f.type === 'hello',
    );
    const perConnection = (rssOf(server.pid) - before) / VISITORS;
    const figures = await drive(visitors, agent, (frame) => keyInText(frame.text));
    for (const v of visitors) v.ws.terminate();
    agent.terminate();
    return { ...figures, memory_per_connection_kb: round(perConnection / 1024) };
  } finally {
    await server.stop();
  }
}

export default async function chatBench() {
  const env = (dataDir: string, roles: string, url?: string): NodeJS.ProcessEnv => ({
    ...process.env,
    PORT: '0',
    RAPPORT_DATA_DIR: dataDir,
    RAPPORT_ROLES: roles,
    RAPPORT_ADMIN_EMAIL: ADMIN.email,
    RAPPORT_ADMIN_PASSWORD: ADMIN.password,
    RAPPORT_SECRET_KEY: 'chat-bench-key',
    RAPPORT_CHAT_CONNECTIONS_PER_IP: String(VISITORS + 100),
    RAPPORT_CHAT_MESSAGES_PER_SECOND: '1000',
    LOG_LEVEL: 'warn',
    ...(url ? { DATABASE_URL: url } : { DATABASE_URL: '' }),
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-chat-bench-'));
  const results: Record<string, unknown> = {
    visitors: VISITORS,
    active_visitors: ACTIVE,
    rate_per_s: RATE,
    seconds: SECONDS,
    aim: AIM,
  };
  try {
    log('baseline: bare ws forwarding');
    results.baseline = await baselineRun();
    const pgUrl = process.env.BENCH_DATABASE_URL;
    log(`one node on ${pgUrl ? 'PostgreSQL' : 'PGlite'}`);
    const one = await startNode(env(path.join(dir, 'one'), 'web,worker', pgUrl));
    try {
      results.one_node = { database: pgUrl ? 'postgres' : 'pglite', ...(await rapportRun([one])) };
    } finally {
      await one.stop();
    }
    if (pgUrl) {
      log('two nodes on PostgreSQL: visitors on A, agent and relay on B');
      const b = await startNode(env(path.join(dir, 'b'), 'web,worker', pgUrl));
      const a = await startNode(env(path.join(dir, 'a'), 'web', pgUrl));
      try {
        results.two_nodes = { database: 'postgres', ...(await rapportRun([a, b])) };
      } finally {
        await a.stop();
        await b.stop();
      }
    } else results.two_nodes = 'skipped: set BENCH_DATABASE_URL to an empty PostgreSQL database';
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
