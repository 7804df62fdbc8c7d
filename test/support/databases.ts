import { sql } from 'drizzle-orm';
import { describe, it } from 'vitest';
import { type Database, openDatabase } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

export type DatabaseKind = 'pglite' | 'postgres';

const opened = new Map<DatabaseKind, Promise<Database>>();

/** One database of each kind per test worker, migrated once; every test makes its own workspace in it. */
export function sharedDatabase(kind: DatabaseKind): Promise<Database> {
  let database = opened.get(kind);
  if (!database) {
    database = (async () => {
      const db = await openDatabase(
        kind === 'postgres' ? { url: process.env.TEST_DATABASE_URL, poolSize: 8 } : {},
      );
      await migrate(db.db);
      return db;
    })();
    opened.set(kind, database);
  }
  return database;
}

export function databaseKinds(): DatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** Runs the suite once per database kind: always PGlite, and real PostgreSQL when TEST_DATABASE_URL is set. */
export function describeEachDatabase(name: string, suite: (kind: DatabaseKind) => void) {
  for (const kind of databaseKinds()) describe(`${name} [${kind}]`, () => suite(kind));
}

/**
 * A suite that needs real PostgreSQL only: skipped with one printed line without TEST_DATABASE_URL,
 * failing instead when REQUIRE_POSTGRES=1 (CI), so it never skips silently.
 */
export function describePostgresOnly(name: string, suite: (serverUrl: string) => void) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    describe(`${name} [postgres]`, () => suite(url));
  } else if (process.env.REQUIRE_POSTGRES === '1') {
    describe(name, () => {
      it('runs on PostgreSQL', () => {
        throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set');
      });
    });
  } else {
    console.log(`[rapport tests] TEST_DATABASE_URL is not set: skipping "${name}".`);
    describe.skip(name, () => it('needs PostgreSQL', () => {}));
  }
}

/**
 * Creates a database of the test's own on the server of `serverUrl` (for tests that must not share:
 * several processes' relays, terminated connections) and resolves to its URL and a drop function.
 */
export async function ownPostgresDatabase(serverUrl: string, label: string) {
  const name = `rapport_${label}_${process.pid}_${Date.now()}`;
  const admin = await openDatabase({ url: serverUrl, poolSize: 1 });
  await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));
  return {
    name,
    admin,
    url: Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString(),
    async drop() {
      await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await admin.close();
    },
  };
}
