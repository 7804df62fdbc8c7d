import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startS3Server } from '../../test/support/s3-server.ts';
import { openDatabase, queryRows } from '../platform/db/database.ts';
import { storageFromConfig } from '../platform/storage-config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rapport-import-cli-'));
const outDir = path.join(dataDir, 'export');

function rapport(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/rapport', ...args], {
      cwd: root,
      env: {
        ...process.env,
        RAPPORT_DATA_DIR: dataDir,
        DATABASE_URL: '',
        RAPPORT_ADMIN_EMAIL: '',
        RAPPORT_ADMIN_PASSWORD: '',
        LOG_LEVEL: 'silent',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('rapport import / export', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('imports a CSV export twice (the second run skips everything) and exports every table as NDJSON', async () => {
    const samples = path.join(root, 'src/imports/samples/csv');
    const first = await rapport(['import', 'csv', samples]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/tickets\s+2 created\s+0 skipped/);
    expect(first.stderr).toContain('Importing csv [####################] 4/4');
    const again = await rapport(['import', 'csv', samples]);
    expect(again.stdout).toMatch(/tickets\s+0 created\s+2 skipped/);
    expect(again.stdout).toMatch(/messages\s+0 created\s+4 skipped/);

    const missing = await rapport(['import', 'zendesk', path.join(dataDir, 'nowhere')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
    expect((await rapport(['import', 'csv'])).stderr).toContain('--path must name');

    const exported = await rapport(['export', outDir]);
    expect(exported.code, exported.stderr).toBe(0);
    const tickets = readFileSync(path.join(outDir, 'tickets.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(tickets.map((t) => t.subject).sort()).toEqual(['Order #12, wrong size', 'Thanks!']);
    expect(readFileSync(path.join(outDir, 'import_sources.ndjson'), 'utf8')).toContain('"source_id":"T-1"');
    expect(existsSync(path.join(outDir, 'sessions.ndjson'))).toBe(false);
    // The knowledge base and the settings (kept on the workspace row) come out with the rest.
    for (const table of ['kb_articles', 'kb_categories', 'customers', 'messages', 'companies'])
      expect(existsSync(path.join(outDir, `${table}.ndjson`)), table).toBe(true);
    expect(readFileSync(path.join(outDir, 'workspaces.ndjson'), 'utf8')).toContain('"settings"');
    expect(readFileSync(path.join(outDir, 'users.ndjson'), 'utf8')).not.toContain('password');
    expect((await rapport(['export', outDir])).stderr).toContain('is not empty');
  }, 120_000);

  it('exports attachment bytes from the store the server uses, here an S3 bucket', async () => {
    const s3 = await startS3Server();
    const ownDir = path.join(dataDir, 's3-case');
    try {
      const env = { RAPPORT_DATA_DIR: ownDir, RAPPORT_STORAGE_URL: s3.storageUrl('files') };
      const migrated = await rapport(['migrate'], env);
      expect(migrated.code, migrated.stderr).toBe(0);
      // The CLI holds the data dir only while it runs: the test writes its rows in between.
      const database = await openDatabase({ dataDir: path.join(ownDir, 'pglite') });
      const [attachment] = await queryRows<{ id: string }>(
        database.db,
        sql`WITH workspace AS (INSERT INTO workspaces (name, slug) VALUES ('S3 export', 's3-export') RETURNING id)
            INSERT INTO attachments (workspace_id, storage_key, name, content_type, size, sha256)
            SELECT id, 'exportedInvoiceFile01', 'invoice.txt', 'text/plain', 7, 'x' FROM workspace RETURNING id`,
      );
      await database.close();
      await storageFromConfig({ RAPPORT_STORAGE_URL: env.RAPPORT_STORAGE_URL, dataDir: ownDir }).put(
        'exportedInvoiceFile01',
        Buffer.from('invoice'),
      );

      const out = path.join(ownDir, 'export');
      const exported = await rapport(['export', out], env);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain('1 attachments');
      expect(readFileSync(path.join(out, 'attachments', attachment!.id), 'utf8')).toBe('invoice');
    } finally {
      await s3.stop();
    }
  }, 120_000);
});
