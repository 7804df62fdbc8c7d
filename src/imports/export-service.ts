import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../platform/db/database.ts';
import type { Storage } from '../platform/storage.ts';

// Credentials stay behind: an export is data to move, not a way in.
const SKIPPED_TABLES = new Set([
  'sessions',
  'api_tokens',
  'login_throttle',
  'outbox',
  'idempotency_keys',
  'portal_sessions',
  'contact_form_stamps',
]);
const SKIPPED_COLUMNS = /(password|secret|token)(_hash|_encrypted)?$|_encrypted$/;
const PAGE = 1000;

export class ExportError extends Error {
  override name = 'ExportError';
}

export type ExportSummary = { tables: Record<string, number>; attachments: number; missingFiles: number };

/**
 * Writes every table of every workspace as `<table>.ndjson` (one JSON row per line, secrets left out)
 * and every attachment's bytes under `attachments/<id>`, into a folder that must be new or empty.
 */
export async function exportAll(
  deps: { db: Db; storage: Storage },
  out: string,
  progress: (table: string) => void = () => {},
): Promise<ExportSummary> {
  if (existsSync(out) && readdirSync(out).length)
    throw new ExportError(`${out} is not empty; name a new folder`);
  mkdirSync(path.join(out, 'attachments'), { recursive: true });
  const tables = (
    await queryRows<{ name: string }>(
      deps.db,
      sql`SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  )
    .map((row) => row.name)
    .filter((name) => !SKIPPED_TABLES.has(name) && !name.startsWith('pgboss'));
  const summary: ExportSummary = { tables: {}, attachments: 0, missingFiles: 0 };
  for (const table of tables) {
    progress(table);
    const columns = (
      await queryRows<{ name: string; type: string }>(
        deps.db,
        sql`SELECT column_name AS name, data_type AS type FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = ${table} ORDER BY ordinal_position`,
      )
    ).filter((column) => !SKIPPED_COLUMNS.test(column.name) && column.type !== 'tsvector');
    const list = sql.raw(columns.map((column) => `"${column.name}"`).join(', '));
    const file = createWriteStream(path.join(out, `${table}.ndjson`));
    let rows = 0;
    // Pages by ctid order would need a key; OFFSET is fine for a one-off export of a quiescent database.
    for (let offset = 0; ; offset += PAGE) {
      const page = await queryRows<Record<string, unknown>>(
        deps.db,
        sql`SELECT ${list} FROM ${sql.identifier(table)} ORDER BY 1 LIMIT ${PAGE} OFFSET ${offset}`,
      );
      for (const row of page) if (!file.write(`${JSON.stringify(row)}\n`)) await once(file, 'drain');
      rows += page.length;
      if (page.length < PAGE) break;
    }
    file.end();
    await once(file, 'finish');
    summary.tables[table] = rows;
  }
  const files = await queryRows<{ id: string; storage_key: string }>(
    deps.db,
    sql`SELECT id, storage_key FROM attachments ORDER BY id`,
  );
  for (const file of files) {
    try {
      await pipeline(
        await deps.storage.get(file.storage_key),
        createWriteStream(path.join(out, 'attachments', file.id)),
      );
      summary.attachments++;
    } catch {
      summary.missingFiles++;
    }
  }
  return summary;
}
