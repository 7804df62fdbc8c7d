import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTicket, makeWorkspace } from '../../../test/support/factories.ts';
import { loadConfig } from '../config.ts';
import { loadSecretKey } from '../crypto.ts';
import { openDatabase, queryRows } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { BackupError, backup, restore } from './backup.ts';

const dirs: string[] = [];
const tempDir = (label: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), `rapport-${label}-`));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Target = { dataDir: string; url?: string };
const configFor = (target: Target) =>
  loadConfig({ RAPPORT_DATA_DIR: target.dataDir, DATABASE_URL: target.url ?? '' });

async function withDb<T>(target: Target, work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) {
  const database = await openDatabase(
    target.url ? { url: target.url, poolSize: 2 } : { dataDir: path.join(target.dataDir, 'pglite') },
  );
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/** An install with one ticket, one stored attachment file and its secret key. */
async function populatedInstall(target: Target): Promise<string> {
  const ticketId = await withDb(target, async (database) => {
    await migrate(database.db);
    const { admin } = await makeWorkspace(database.db);
    return (await makeTicket(database.db, admin.actor, { subject: 'Backed up' })).id;
  });
  mkdirSync(path.join(target.dataDir, 'attachments', 'ab'), { recursive: true });
  writeFileSync(path.join(target.dataDir, 'attachments', 'ab', 'file'), 'attachment bytes');
  loadSecretKey(undefined, target.dataDir);
  return ticketId;
}

async function expectRestored(source: Target, target: Target, ticketId: string) {
  const subjects = await withDb(target, (database) =>
    queryRows<{ subject: string }>(
      database.db,
      sql`SELECT subject FROM tickets WHERE id = ${ticketId}::uuid`,
    ),
  );
  expect(subjects).toEqual([{ subject: 'Backed up' }]);
  expect(readFileSync(path.join(target.dataDir, 'attachments', 'ab', 'file'), 'utf8')).toBe(
    'attachment bytes',
  );
  expect(readFileSync(path.join(target.dataDir, 'secret.key'), 'utf8')).toBe(
    readFileSync(path.join(source.dataDir, 'secret.key'), 'utf8'),
  );
}

describe('backup and restore [pglite]', () => {
  it('copies the database, attachments and key, and puts them back into a new data dir', async () => {
    const source = { dataDir: tempDir('backup-src') };
    const ticketId = await populatedInstall(source);
    const out = path.join(tempDir('backup-out'), 'backup');
    const manifest = await backup(configFor(source), out);
    expect(manifest).toMatchObject({ database: 'pglite', attachments: true, secretKey: true });
    expect(manifest.migrations).toContain('0000_init');

    const target = { dataDir: tempDir('backup-dst') };
    await restore(configFor(target), out);
    await expectRestored(source, target, ticketId);

    // A second restore would overwrite a live database: refused unless forced, and then the old one is kept.
    await expect(restore(configFor(target), out)).rejects.toThrow(/already holds a database/);
    await restore(configFor(target), out, { force: true });
    expect(readdirSync(target.dataDir).some((name) => name.startsWith('pglite.before-restore-'))).toBe(true);
    expect(existsSync(path.join(target.dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
    // Four openings of an on-disk PGlite: slow on a busy machine.
  }, 240_000);

  it('refuses a folder that is not empty, and a folder that holds no backup', async () => {
    const source = { dataDir: tempDir('backup-src') };
    const full = tempDir('backup-full');
    writeFileSync(path.join(full, 'something'), 'x');
    await expect(backup(configFor(source), full)).rejects.toBeInstanceOf(BackupError);
    await expect(restore(configFor({ dataDir: tempDir('backup-dst') }), full)).rejects.toThrow(
      /holds no Rapport backup/,
    );
  });
});

const databaseUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!databaseUrl)('backup and restore [postgres]', () => {
  it('dumps with pg_dump and restores into an empty database with pg_restore', async () => {
    const stamp = `${process.pid}_${Date.now()}`;
    const names = [`rapport_backup_src_${stamp}`, `rapport_backup_dst_${stamp}`];
    const urlOf = (name: string) =>
      Object.assign(new URL(databaseUrl as string), { pathname: `/${name}` }).toString();
    const admin = await openDatabase({ url: databaseUrl, poolSize: 1 });
    try {
      for (const name of names) await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));
      const source = { dataDir: tempDir('backup-pg-src'), url: urlOf(names[0]!) };
      const target = { dataDir: tempDir('backup-pg-dst'), url: urlOf(names[1]!) };
      const ticketId = await populatedInstall(source);
      const out = path.join(tempDir('backup-pg-out'), 'backup');
      expect(await backup(configFor(source), out)).toMatchObject({ database: 'postgres' });
      expect(existsSync(path.join(out, 'database.pgdump'))).toBe(true);
      // Attachments in a bucket stay there: the manifest names the store, its secret hidden.
      const bucketOut = path.join(tempDir('backup-pg-bucket'), 'backup');
      const inBucket = loadConfig({
        RAPPORT_DATA_DIR: source.dataDir,
        DATABASE_URL: source.url,
        RAPPORT_STORAGE_URL: 's3+http://KEY:top-secret@127.0.0.1:9000/files',
      });
      expect(await backup(inBucket, bucketOut)).toMatchObject({
        attachments: false,
        attachmentStore: 's3+http://KEY:***@127.0.0.1:9000/files',
      });
      expect(existsSync(path.join(bucketOut, 'attachments'))).toBe(false);
      expect(readFileSync(path.join(bucketOut, 'manifest.json'), 'utf8')).not.toContain('top-secret');
      await restore(configFor(target), out);
      await expectRestored(source, target, ticketId);
      await expect(restore(configFor(target), out)).rejects.toThrow(/not empty/);
      await expect(restore(configFor({ dataDir: tempDir('backup-x') }), out)).rejects.toThrow(
        /backup is of postgres/,
      );
    } finally {
      for (const name of names)
        await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await admin.close();
    }
  });
});
