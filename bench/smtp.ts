// SMTP intake: 8 concurrent senders deliver mail to Rapport's built-in SMTP server for 20 s, on PGlite
// and, when BENCH_DATABASE_URL is set, on real PostgreSQL; each beside a bare SMTP server that answers
// after one INSERT of the raw message. Afterwards every acknowledged message must be found stored.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import { openDatabase, queryRows } from '../src/platform/db/database.ts';
import { coresUsed, cpuSnapshot } from './support/cpu.ts';
import { startChildServer } from './support/processes.ts';

const SENDERS = 8;
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);
const CUSTOMERS = 400;
const SUPPORT = 'support@bench.example.test';

type Target = { database: 'pglite' | 'postgres'; url?: string | undefined };

const log = (message: string) => console.error(`[smtp] ${message}`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A realistic support mail of a few kilobytes: text and HTML, a third of them replies to earlier ones. */
async function nextMessage(run: string, n: number, sent: string[]) {
  const customer = `customer${n % CUSTOMERS}@shop.example.test`;
  const reply = n > CUSTOMERS && n % 3 === 0 ? sent[n - CUSTOMERS] : undefined;
  const messageId = `<${run}.${n}.${randomUUID()}@client.example.test>`;
  const text = `Hello,\n\nMy order #${100000 + n} has not arrived yet. Could you check where it is?\n\n${'The tracking page says it left the warehouse. '.repeat(20)}\n\nThanks,\nCustomer ${n % CUSTOMERS}`;
  const raw = await new MailComposer({
    from: `Customer ${n % CUSTOMERS} <${customer}>`,
    to: SUPPORT,
    subject: reply ? 'Re: Where is my order?' : `Where is my order #${100000 + n}?`,
    messageId,
    ...(reply && { inReplyTo: reply, references: [reply] }),
    text,
    html: `<p>${text.replace(/\n/g, '<br>')}</p>`,
  })
    .compile()
    .build();
  return { customer, messageId, raw };
}

function connect(port: number): Promise<SMTPConnection> {
  return new Promise((resolve, reject) => {
    const connection = new SMTPConnection({
      port,
      host: '127.0.0.1',
      ignoreTLS: true,
      socketTimeout: 60_000,
    });
    connection.once('error', reject);
    connection.connect(() => resolve(connection));
  });
}

const send = (connection: SMTPConnection, from: string, raw: Buffer) =>
  new Promise<void>((resolve, reject) =>
    connection.send({ from, to: [SUPPORT] }, raw, (error) => (error ? reject(error) : resolve())),
  );
const reset = (connection: SMTPConnection) =>
  new Promise<void>((resolve, reject) => connection.reset((error) => (error ? reject(error) : resolve())));

/** SENDERS connections, each sending one message after the other until the time is up. */
async function drive(port: number, seconds: number, run: string) {
  const acknowledged: string[] = [];
  const latencies: number[] = [];
  const failures: string[] = [];
  const sent: string[] = [];
  let counter = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      const connection = await connect(port);
      try {
        while (Date.now() < deadline) {
          const n = counter++;
          const message = await nextMessage(run, n, sent);
          sent[n] = message.messageId;
          const begin = performance.now();
          try {
            await send(connection, message.customer, message.raw);
            latencies.push(performance.now() - begin);
            acknowledged.push(message.messageId);
          } catch (error) {
            if (failures.length < 5) failures.push(String(error));
          }
          await reset(connection);
        }
      } finally {
        connection.quit();
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    figures: {
      messages_per_s: round(acknowledged.length / elapsed),
      p50_ms_to_250: at(0.5),
      p99_ms_to_250: at(0.99),
      sent: counter,
      acknowledged: acknowledged.length,
      failed: counter - acknowledged.length,
      seconds: round(elapsed),
      ...(failures.length ? { failure_samples: failures } : {}),
    },
    acknowledged,
  };
}

async function storedFacts(target: Target, dataDir: string, acknowledged: string[]) {
  const database = await openDatabase(
    target.url ? { url: target.url, poolSize: 1 } : { dataDir: path.join(dataDir, 'pglite') },
  );
  try {
    const count = async (query: ReturnType<typeof sql>) =>
      Number((await queryRows<{ n: number }>(database.db, query))[0]!.n);
    return {
      inbound_rows: await count(sql`SELECT count(*)::int AS n FROM inbound_emails`),
      acknowledged_stored: await count(
        sql`SELECT count(DISTINCT message_id_header)::int AS n FROM inbound_emails
          WHERE status = 'stored' AND message_id_header = ANY(${`{${acknowledged.map((id) => `"${id}"`).join(',')}}`}::text[])`,
      ),
      tickets: await count(sql`SELECT count(*)::int AS n FROM tickets`),
      messages: await count(sql`SELECT count(*)::int AS n FROM messages`),
    };
  } finally {
    await database.close();
  }
}

async function measureApp(target: Target, dataDir: string, seconds: number) {
  const smtpPort = await freePort();
  const server = await startChildServer({
    args: ['--import', 'tsx', 'bench/support/app-server.ts'],
    ready: /rapport listening on port (\d+)/,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      RAPPORT_PUBLIC_URL: '',
      DATABASE_URL: target.url ?? '',
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      RAPPORT_DATA_DIR: dataDir,
      RAPPORT_ADMIN_EMAIL: 'bench@example.com',
      RAPPORT_ADMIN_PASSWORD: 'bench-password-not-secret',
      RAPPORT_ROLES: 'web,worker,smtp',
      RAPPORT_SMTP_PORT: String(smtpPort),
      // Each customer writes a handful of times a minute here; the loop guard is not what is measured.
      RAPPORT_EMAIL_SENDER_LIMIT: '100000',
      LOG_LEVEL: 'warn',
    },
  });
  let stopped = false;
  try {
    log(`${target.database}: rapport ${seconds}s with ${SENDERS} senders`);
    const before = cpuSnapshot(server.pid, target.database === 'postgres');
    const { figures, acknowledged } = await drive(smtpPort, seconds, `r${Date.now().toString(36)}`);
    const cpu = coresUsed(before, cpuSnapshot(server.pid, target.database === 'postgres'));
    await server.stop();
    stopped = true;
    const stored = await storedFacts(target, dataDir, acknowledged);
    return {
      ...figures,
      cpu_cores: cpu,
      verification: {
        ...stored,
        // Every 250 is a stored message, and nothing unacknowledged slipped in beyond what was cut off.
        stored_equals_acknowledged:
          stored.acknowledged_stored === acknowledged.length && stored.inbound_rows === acknowledged.length,
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

async function measureBaseline(target: Target, dataDir: string, seconds: number) {
  const server = await startChildServer({
    args: ['--import', 'tsx', 'bench/support/smtp-baseline-server.ts'],
    ready: /smtp baseline listening on port (\d+)/,
    env: {
      ...process.env,
      BASELINE_DATABASE_URL: target.url ?? '',
      BASELINE_DATA_DIR: path.join(dataDir, 'baseline-pglite'),
      BASELINE_POOL_SIZE: String(POOL_SIZE),
    },
  });
  try {
    log(`${target.database}: baseline ${seconds}s with ${SENDERS} senders`);
    const before = cpuSnapshot(server.pid, target.database === 'postgres');
    const { figures } = await drive(server.port, seconds, `b${Date.now().toString(36)}`);
    return {
      ...figures,
      cpu_cores: coresUsed(before, cpuSnapshot(server.pid, target.database === 'postgres')),
    };
  } finally {
    await server.stop();
  }
}

async function benchTarget(target: Target, seconds: number) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `rapport-bench-smtp-${target.database}-`));
  try {
    const baseline = await measureBaseline(target, dataDir, seconds);
    const app = await measureApp(target, dataDir, seconds);
    return {
      database: target.database,
      ...app,
      baseline,
      ratio_to_baseline: round(app.messages_per_s / baseline.messages_per_s, 3),
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export default async function smtp() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('BENCH_SECONDS must be a positive number');
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) log('BENCH_DATABASE_URL is not set: PGlite only');
  const only = process.env.BENCH_DATABASES?.split(',').map((name) => name.trim());
  const targets = (
    [{ database: 'pglite' }, ...(url ? [{ database: 'postgres', url }] : [])] as Target[]
  ).filter((target) => !only || only.includes(target.database));
  const results = [];
  for (const target of targets) results.push(await benchTarget(target, seconds));
  return {
    description:
      `${SENDERS} SMTP senders, one connection each, delivering ~3 KB text+HTML mails (a third replies) to ` +
      'the built-in SMTP server (smtp role; 250 only after commit); baseline: bare smtp-server, one INSERT of the raw message',
    senders: SENDERS,
    seconds,
    pool_size: POOL_SIZE,
    results,
  };
}
