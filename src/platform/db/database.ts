import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { joinRequestTransactions } from './request-transaction.ts';

/** The query builder every service takes; a transaction is one too. */
export type Db = PgDatabase<PgQueryResultHKT>;

export type Notification = (payload: string) => void;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Subscribes to a NOTIFY channel; resolves to an unsubscribe function. */
  listen(channel: string, onNotify: Notification): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function notify(db: Db, channel: string, payload: string): Promise<void> {
  await db.execute(sql`SELECT pg_notify(${channel}, ${payload})`);
}

export type DatabaseOptions = { url?: string | undefined; dataDir?: string | undefined; poolSize?: number };

/** Opens real PostgreSQL when a URL is given, else embedded PGlite (in memory when no data dir). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options.poolSize ?? 10) : openPglite(options.dataDir);
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = dataDir
    ? new PGlite(dataDir, { extensions: { pg_trgm } })
    : new PGlite({ extensions: { pg_trgm } });
  await client.waitReady;
  const db = joinRequestTransactions(drizzlePglite({ client }) as unknown as Db);
  return {
    db,
    kind: 'pglite',
    async listen(channel, onNotify) {
      const unsubscribe = await client.listen(channel, onNotify);
      return async () => unsubscribe();
    },
    close: () => client.close(),
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor may one dropped while checked out between two statements (a transaction awaiting its caller):
  // pg emits that on the client, not the pool. The statement that follows fails, and the pool discards
  // the client when it comes back.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = joinRequestTransactions(drizzleNodePg({ client: pool }) as unknown as Db);
  const listeners = new Map<string, Set<Notification>>();
  let listenClient: pg.Client | undefined;

  async function connectListener(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', (message) => {
      for (const handler of listeners.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    client.on('error', () => {
      // Reconnect and re-subscribe; notifications sent while down are covered by the outbox poll.
      listenClient = undefined;
      setTimeout(() => void reconnect(), 500).unref();
    });
    await client.connect();
    for (const channel of listeners.keys()) await client.query(`LISTEN "${channel}"`);
    return client;
  }
  async function reconnect() {
    if (listenClient || listeners.size === 0) return;
    try {
      listenClient = await connectListener();
    } catch {
      setTimeout(() => void reconnect(), 1000).unref();
    }
  }

  await pool.query('SELECT 1');
  return {
    db,
    kind: 'postgres',
    async listen(channel, onNotify) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Bad channel name ${channel}`);
      const handlers = listeners.get(channel) ?? new Set<Notification>();
      const isNew = handlers.size === 0;
      handlers.add(onNotify);
      listeners.set(channel, handlers);
      if (!listenClient) listenClient = await connectListener();
      else if (isNew) await listenClient.query(`LISTEN "${channel}"`);
      return async () => {
        handlers.delete(onNotify);
        if (handlers.size === 0) {
          listeners.delete(channel);
          await listenClient?.query(`UNLISTEN "${channel}"`).catch(() => {});
        }
      };
    },
    async close() {
      const client = listenClient;
      listeners.clear();
      listenClient = undefined;
      if (client) {
        client.removeAllListeners('error');
        client.on('error', () => {});
        await client.end().catch(() => {});
      }
      await pool.end();
    },
  };
}

/** True when PostgreSQL refused a write for breaking a unique constraint (drizzle wraps the driver's error). */
export function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: string }).code === '23505') return true;
  }
  return false;
}
