import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { fromDrizzle, fromPglite, type JobResult, type PGliteLike, PgBoss } from 'pg-boss';
import type { Database } from '../db/database.ts';
import type { JobHandler, JobName, JobSummary, JobTypes, Queue, SendOptions } from './queue.ts';

export type PgBossQueueOptions = {
  database: Database;
  /** The PostgreSQL URL when `database` is PostgreSQL: pg-boss keeps a small pool of its own. */
  url?: string | undefined;
  /** Maintenance (expiry, retention) and cron rules run only on nodes that work jobs. */
  worker: boolean;
  logger: FastifyBaseLogger;
  /** How often an idle worker looks for due jobs; LISTEN/NOTIFY wakes it sooner for new ones. */
  pollingIntervalSeconds?: number;
  /** First retry delay; each later retry waits about twice as long, up to ten minutes. */
  retryDelaySeconds?: number;
  /**
   * A running job's worker proves it is alive this often (at least 10 s); a job whose node died
   * without a heartbeat goes back to the queue instead of waiting out pg-boss's 15-minute expiry.
   */
  heartbeatSeconds?: number;
  /** How often a worker node looks for jobs whose heartbeat stopped. */
  superviseIntervalSeconds?: number;
};

// Jobs one fetch claims; they run one after another, each settled on its own.
const BATCH_SIZE = 10;

type Row = {
  id: string;
  name: string;
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  data: unknown;
  output: { message?: unknown } | null;
  retry_count: number;
  start_after: Date | string;
  created_on: Date | string;
};

const STATES = { pending: ['created', 'retry'], failed: ['failed'] } as const;

const toSummary = (row: Row): JobSummary => ({
  id: row.id,
  name: row.name,
  state: row.state === 'created' || row.state === 'retry' ? 'pending' : row.state,
  payload: row.data,
  retries: row.retry_count,
  runAt: new Date(row.start_after),
  createdAt: new Date(row.created_on),
  error: row.state !== 'created' && typeof row.output?.message === 'string' ? row.output.message : null,
});

/**
 * The durable queue: pg-boss in the application's own database (schema `pgboss`), so a job survives a
 * restart and is claimed by one node only. On PGlite it shares the embedded client.
 */
export function createPgBossQueue(options: PgBossQueueOptions): Queue {
  const { database, logger } = options;
  const heartbeatSeconds = options.heartbeatSeconds ?? 30;
  const common = {
    schedule: options.worker,
    supervise: options.worker,
    superviseIntervalSeconds: options.superviseIntervalSeconds ?? 15,
    useListenNotify: true,
  };
  const boss =
    database.kind === 'pglite'
      ? new PgBoss({ ...common, db: fromPglite(pgliteClient(database)), backend: 'pglite' })
      : new PgBoss({ ...common, connectionString: options.url, max: 4 });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  const created = new Map<string, Promise<void>>();
  const retryDelay = options.retryDelaySeconds ?? 5;
  const poll = options.pollingIntervalSeconds ?? 2;

  // 'short' keeps at most one waiting job per key; jobs sent without a key get a key of their own.
  function ensureQueue(name: string) {
    let ready = created.get(name);
    if (!ready) {
      ready = boss.createQueue(name, {
        policy: 'short',
        notify: true,
        retryBackoff: true,
        retryDelay,
        retryDelayMax: 600,
      });
      ready.catch(() => created.delete(name));
      created.set(name, ready);
    }
    return ready;
  }

  return {
    async declare(names) {
      await Promise.all(names.map(ensureQueue));
    },
    async send<N extends JobName>(name: N, payload: JobTypes[N], sendOptions: SendOptions = {}) {
      const { tx } = sendOptions;
      // Creating a queue inside the caller's transaction would wait on it (PGlite has one connection).
      if (tx && !created.has(name))
        throw new Error(`Job ${name} is sent in a transaction but was never declared`);
      await ensureQueue(name);
      const id = randomUUID();
      return boss.send(name, payload as object, {
        id,
        singletonKey: sendOptions.singletonKey ?? id,
        startAfter: sendOptions.startAfter,
        retryLimit: sendOptions.retryLimit ?? 5,
        retryDelay,
        retryBackoff: true,
        retryDelayMax: 600,
        heartbeatSeconds,
        ...(tx ? { db: fromDrizzle(tx as Parameters<typeof fromDrizzle>[0], sql) } : {}),
      });
    },
    async work<N extends JobName>(name: N, handler: JobHandler<N>) {
      await ensureQueue(name);
      await boss.work<JobTypes[N]>(
        name,
        // NOTIFY wakes a worker for new jobs only: a retry or a delayed job waits for the next poll.
        // A full batch fetches the next one at once, so a backlog of delayed jobs that fell due
        // together (SLA warnings of a busy hour) drains at handler speed, not one job per poll.
        {
          pollingIntervalSeconds: poll,
          notifyPollingIntervalSeconds: poll,
          batchSize: BATCH_SIZE,
          burstWhenBatchFull: true,
          perJobResults: true,
        },
        async (jobs) => {
          const results: JobResult[] = [];
          // One job's failure retries that job alone; the rest of its batch still completes.
          for (const job of jobs) {
            try {
              await handler(job.data, { id: job.id, attempt: job.retryCount });
              results.push({ id: job.id, status: 'completed' });
            } catch (error) {
              logger.warn({ err: error, job: job.id, queue: name }, 'job failed');
              results.push({ id: job.id, status: 'failed', output: failureOutput(error) });
            }
          }
          return results;
        },
      );
    },
    async schedule<N extends JobName>(
      name: N,
      cron: string,
      payload: JobTypes[N],
      at: { tz?: string; key?: string } = {},
    ) {
      await ensureQueue(name);
      await boss.schedule(name, cron, payload as object, { tz: at.tz, key: at.key });
    },
    async unschedule(name, key) {
      await boss.unschedule(name, key);
    },
    async list(filter) {
      const states = filter.state ? STATES[filter.state] : ['created', 'retry', 'active', 'failed'];
      const { rows } = await boss.getDb().executeSql(
        `SELECT id, name, state, data, output, retry_count, start_after, created_on FROM pgboss.job
           WHERE data->>'workspaceId' = $1 AND state::text = ANY($2::text[])
           ORDER BY created_on DESC, id LIMIT $3`,
        [filter.workspaceId, states, filter.limit ?? 100],
      );
      return (rows as Row[]).map(toSummary);
    },
    async retry(id, workspaceId) {
      const { rows } = await boss
        .getDb()
        .executeSql(
          `SELECT name FROM pgboss.job WHERE id = $1::uuid AND data->>'workspaceId' = $2 AND state = 'failed'`,
          [id, workspaceId],
        );
      const name = (rows as { name: string }[])[0]?.name;
      if (!name) return false;
      await boss.retry(name, id);
      return true;
    },
    async start() {
      await boss.start();
    },
    async stop() {
      // Our PGlite client outlives the queue; a PostgreSQL pool of pg-boss's own is closed with it.
      await boss.stop({ graceful: true, timeout: 10_000, close: database.kind !== 'pglite' });
      created.clear();
    },
  };
}

/** What an admin sees as a failed job's reason: the error's message and code, never its stack. */
function failureOutput(error: unknown): { message: string; code?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { message: error.message, code } : { message: error.message };
}

function pgliteClient(database: Database): PGliteLike {
  // drizzle keeps the client it was built on; the Database interface hides it on purpose elsewhere.
  return (database.db as unknown as { $client: PGliteLike }).$client;
}
