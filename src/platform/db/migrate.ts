import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from './database.ts';

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');

type Journal = { entries: { idx: number; tag: string }[] };

export function listMigrations(): { tag: string; statements: string[] }[] {
  const journal = JSON.parse(readFileSync(path.join(migrationsDir, 'meta/_journal.json'), 'utf8')) as Journal;
  return journal.entries
    .sort((a, b) => a.idx - b.idx)
    .map(({ tag }) => ({
      tag,
      statements: readFileSync(path.join(migrationsDir, `${tag}.sql`), 'utf8')
        .split('--> statement-breakpoint')
        .map((statement) => statement.trim())
        .filter(Boolean),
    }));
}

// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK = 7_241_901;

/**
 * Applies the committed migrations that have not run yet, all in one transaction.
 * An advisory lock lets several nodes start at once: one migrates, the others wait and find nothing to do.
 */
export async function migrate(db: Db): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.execute(
      sql`CREATE TABLE IF NOT EXISTS rapport_migrations (tag text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await queryRows<{ tag: string }>(tx, sql`SELECT tag FROM rapport_migrations`)).map((r) => r.tag),
    );
    const applied: string[] = [];
    for (const migration of listMigrations()) {
      if (done.has(migration.tag)) continue;
      for (const statement of migration.statements) await tx.execute(sql.raw(statement));
      await tx.execute(sql`INSERT INTO rapport_migrations (tag) VALUES (${migration.tag})`);
      applied.push(migration.tag);
    }
    return applied;
  });
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const exists = await queryRows<{ ok: boolean }>(
    db,
    sql`SELECT to_regclass('rapport_migrations') IS NOT NULL AS ok`,
  );
  const done = exists[0]?.ok
    ? new Set(
        (await queryRows<{ tag: string }>(db, sql`SELECT tag FROM rapport_migrations`)).map((r) => r.tag),
      )
    : new Set<string>();
  return listMigrations()
    .map((m) => m.tag)
    .filter((tag) => !done.has(tag));
}
