// Soak: two app nodes (web, worker, smtp roles) on one PostgreSQL (BENCH_DATABASE_URL, a server where
// a database of the bench's own is created) under mixed load for BENCH_SECONDS (default 60): two API
// clients creating tickets and answering each with an agent reply (Idempotency-Keys), an SMTP client,
// four widget visitors chatting, every agent reply mailed to a loopback sink. Prints what was served,
// the failed attempts, p99 latency per kind, memory growth per node, and the lost and duplicated
// counts (both must be 0). The baseline is the run's own first tenth, beside its last tenth.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { emailAddresses } from '../src/db/schema/index.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { type Node, sleep, startCluster } from '../test/reliability/cluster.ts';
import { apiClient, chatClient, type Ledger, newLedger, p99, smtpClient } from '../test/reliability/load.ts';
import { tallyMailed, tallyStored } from '../test/reliability/verify.ts';
import { ownPostgresDatabase } from '../test/support/databases.ts';
import { uniqueAddress } from '../test/support/email.ts';
import { makeUser, makeWorkspace } from '../test/support/factories.ts';
import { bearerFor } from '../test/support/http.ts';
import { startSmtpSink } from '../test/support/smtp-sink.ts';

const log = (message: string) => console.error(`[soak] ${message}`);

function rssMb(node: Node): number {
  const status = readFileSync(`/proc/${node.server.child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

type Mark = { at: number; counts: Record<keyof Ledger['latencies'], number> };
const mark = (ledger: Ledger): Mark => ({
  at: performance.now(),
  counts: {
    api: ledger.latencies.api.length,
    smtp: ledger.latencies.smtp.length,
    chat: ledger.latencies.chat.length,
  },
});

/** Rate and p99 of each kind between two marks. */
function window(ledger: Ledger, from: Mark, to: Mark) {
  const seconds = (to.at - from.at) / 1000;
  const kinds = ['api', 'smtp', 'chat'] as const;
  return Object.fromEntries(
    kinds.map((kind) => {
      const slice = ledger.latencies[kind].slice(from.counts[kind], to.counts[kind]);
      return [kind, { per_second: Math.round((slice.length / seconds) * 10) / 10, p99_ms: p99(slice) }];
    }),
  );
}

export default async function soak(): Promise<Record<string, unknown>> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) return { skipped: 'set BENCH_DATABASE_URL to a PostgreSQL server (two nodes share it)' };
  const seconds = Number(process.env.BENCH_SECONDS ?? 60);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('BENCH_SECONDS must be a positive number');

  const own = await ownPostgresDatabase(serverUrl, 'soak');
  const sink = await startSmtpSink();
  const cluster = await startCluster({
    count: 2,
    databaseUrl: own.url,
    relayUrl: `smtp://${sink.host}:${sink.port}`,
    env: { DATABASE_POOL_SIZE: '10' },
  });
  const database = await openDatabase({ url: own.url, poolSize: 2 });
  const client = new pg.Client({ connectionString: own.url });
  await client.connect();
  try {
    const { workspace } = await makeWorkspace(database.db);
    const agent = await makeUser(database.db, workspace.id, 'agent');
    const headers = await bearerFor(database, agent.actor);
    const address = uniqueAddress('soak');
    await database.db.insert(emailAddresses).values({ workspaceId: workspace.id, address, isDefault: true });

    const ledger = newLedger();
    let stopping = false;
    const target = { live: () => cluster.live(), stopping: () => stopping };
    log(`two nodes under API, SMTP and chat load for ${seconds} s`);
    const clients = [
      apiClient(target, ledger, headers, 'api-1'),
      apiClient(target, ledger, headers, 'api-2'),
      smtpClient(target, ledger, address, 'smtp-1'),
      ...[0, 1, 2, 3].map((i) => chatClient(target, ledger, workspace.slug, `chat-${i}`)),
    ];
    const start = mark(ledger);
    await sleep((seconds * 1000) / 10);
    const firstTenth = mark(ledger);
    const memoryAfterWarmup = cluster.nodes.map(rssMb);
    await sleep((seconds * 1000 * 8) / 10);
    const lastTenthFrom = mark(ledger);
    await sleep((seconds * 1000) / 10);
    const end = mark(ledger);
    const memoryAtEnd = cluster.nodes.map(rssMb);
    stopping = true;
    await Promise.all(clients);
    log('counting what is stored and mailed');
    const tally = await tallyStored(client, ledger);
    await tallyMailed(client, sink, ledger, tally, 60_000);
    return {
      seconds,
      served: {
        api_requests: ledger.tickets.length + ledger.replies.length,
        tickets: ledger.tickets.length,
        replies: ledger.replies.length,
        emails_in: ledger.emails.length,
        chat_messages: ledger.chats.length,
        emails_out_at_sink: sink.messages.length,
      },
      errors: ledger.retries,
      p99_ms: {
        api: p99(ledger.latencies.api),
        smtp: p99(ledger.latencies.smtp),
        chat: p99(ledger.latencies.chat),
      },
      baseline_first_tenth: window(ledger, start, firstTenth),
      last_tenth: window(ledger, lastTenthFrom, end),
      memory_mb: Object.fromEntries(
        cluster.nodes.map((node, i) => [
          node.name,
          {
            after_warmup: memoryAfterWarmup[i],
            at_end: memoryAtEnd[i],
            growth: Math.round((memoryAtEnd[i]! - memoryAfterWarmup[i]!) * 10) / 10,
          },
        ]),
      ),
      lost: tally.lost,
      duplicated: tally.duplicated,
      unsent_replies: tally.unsent,
      problems: tally.problems.slice(0, 10),
    };
  } finally {
    await cluster.stop();
    await client.end().catch(() => {});
    await database.close();
    await sink.close();
    await own.drop();
  }
}
