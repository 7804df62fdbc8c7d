import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { lockDataDir } from '../db/data-dir-lock.ts';
import { openDatabase, queryRows } from '../db/database.ts';
import { listMigrations } from '../db/migrate.ts';
import { redactedUrl } from '../redacted-url.ts';

export class BackupError extends Error {}

/** What a backup folder holds, written last so a half-written backup is never mistaken for a whole one. */
export type BackupManifest = {
  format: 'rapport-backup/1';
  database: 'pglite' | 'postgres';
  createdAt: string;
  migrations: string[];
  attachments: boolean;
  /** Where attachments live when not in the data dir (password hidden): backed up by that store. */
  attachmentStore?: string;
  secretKey: boolean;
};

const MANIFEST = 'manifest.json';

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          error.code === 'ENOENT'
            ? `${command} is not installed; install the PostgreSQL client tools (Debian: postgresql-client)`
            : error.message,
        ),
      ),
    );
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new BackupError(`${command} failed: ${stderr.trim().slice(0, 2000)}`)),
    );
  });
}

async function appliedMigrations(config: Config): Promise<string[]> {
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATABASE_URL ? undefined : path.join(config.dataDir, 'pglite'),
    poolSize: 1,
  });
  try {
    const known = new Set(listMigrations().map((m) => m.tag));
    const rows = await queryRows<{ tag: string }>(
      database.db,
      sql`SELECT tag FROM rapport_migrations ORDER BY tag`,
    ).catch(() => []);
    return rows.map((r) => r.tag).filter((tag) => known.has(tag));
  } finally {
    await database.close();
  }
}

function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/**
 * Copies everything an install needs into `outDir` (which must be empty or absent): the database
 * (PGlite's folder, or a pg_dump archive), stored attachments and the secret key that opens the
 * encrypted settings. With PGlite the server must be stopped (the data dir lock says so).
 */
export async function backup(config: Config, outDir: string): Promise<BackupManifest> {
  if (!isEmptyDir(outDir)) throw new BackupError(`${outDir} is not empty; choose a new folder`);
  mkdirSync(outDir, { recursive: true });
  const release = config.DATABASE_URL ? () => {} : lockDataDir(config.dataDir);
  try {
    const migrations = await appliedMigrations(config);
    if (config.DATABASE_URL) {
      await run('pg_dump', [
        '--format=custom',
        '--no-owner',
        `--file=${path.join(outDir, 'database.pgdump')}`,
        config.DATABASE_URL,
      ]);
    } else {
      // Opened and closed above, so the folder is consistent (recovered if the last stop was a crash).
      cpSync(path.join(config.dataDir, 'pglite'), path.join(outDir, 'pglite'), { recursive: true });
    }
    // A bucket or a shared folder has its own backups (versioning, replication); only the data dir's
    // own store is copied.
    const attachments = path.join(config.dataDir, 'attachments');
    const hasAttachments = !config.RAPPORT_STORAGE_URL && existsSync(attachments);
    if (hasAttachments) cpSync(attachments, path.join(outDir, 'attachments'), { recursive: true });
    const keyFile = path.join(config.dataDir, 'secret.key');
    const hasKey = !config.RAPPORT_SECRET_KEY && existsSync(keyFile);
    if (hasKey) cpSync(keyFile, path.join(outDir, 'secret.key'));
    const manifest: BackupManifest = {
      format: 'rapport-backup/1',
      database: config.DATABASE_URL ? 'postgres' : 'pglite',
      createdAt: new Date().toISOString(),
      migrations,
      attachments: hasAttachments,
      ...(config.RAPPORT_STORAGE_URL
        ? { attachmentStore: redactedUrl(config.RAPPORT_STORAGE_URL, 'RAPPORT_STORAGE_URL') }
        : {}),
      secretKey: hasKey,
    };
    writeFileSync(path.join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    release();
  }
}

function readManifest(fromDir: string): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(fromDir, MANIFEST), 'utf8')) as BackupManifest;
  } catch {
    throw new BackupError(`${fromDir} holds no Rapport backup (${MANIFEST} missing or unreadable)`);
  }
  if (manifest.format !== 'rapport-backup/1')
    throw new BackupError(`Unknown backup format ${manifest.format}`);
  return manifest;
}

async function postgresHasTables(url: string): Promise<boolean> {
  const database = await openDatabase({ url, poolSize: 1 });
  try {
    const rows = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    return (rows[0]?.n ?? 0) > 0;
  } finally {
    await database.close();
  }
}

/**
 * Puts a backup back: into the configured database (PostgreSQL: an empty database; PGlite: a data dir
 * without a database) and data dir. `force` replaces what is there (PGlite's old folder is kept aside).
 */
export async function restore(config: Config, fromDir: string, options: { force?: boolean } = {}) {
  const manifest = readManifest(fromDir);
  const target = config.DATABASE_URL ? 'postgres' : 'pglite';
  if (manifest.database !== target)
    throw new BackupError(`This backup is of ${manifest.database}; the configuration points at ${target}`);
  const release = config.DATABASE_URL ? () => {} : lockDataDir(config.dataDir);
  try {
    if (config.DATABASE_URL) {
      if (!options.force && (await postgresHasTables(config.DATABASE_URL)))
        throw new BackupError('The target database is not empty; use --force to replace its contents');
      await run('pg_restore', [
        '--clean',
        '--if-exists',
        '--no-owner',
        '--exit-on-error',
        `--dbname=${config.DATABASE_URL}`,
        path.join(fromDir, 'database.pgdump'),
      ]);
    } else {
      const pglite = path.join(config.dataDir, 'pglite');
      if (!isEmptyDir(pglite)) {
        if (!options.force)
          throw new BackupError(`${pglite} already holds a database; use --force to replace it`);
        renameSync(pglite, `${pglite}.before-restore-${Date.now()}`);
      }
      cpSync(path.join(fromDir, 'pglite'), pglite, { recursive: true });
    }
    if (manifest.attachments)
      cpSync(path.join(fromDir, 'attachments'), path.join(config.dataDir, 'attachments'), {
        recursive: true,
      });
    if (manifest.secretKey) cpSync(path.join(fromDir, 'secret.key'), path.join(config.dataDir, 'secret.key'));
    return manifest;
  } finally {
    release();
  }
}
