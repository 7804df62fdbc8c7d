import { describe } from 'vitest';
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
