import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Server, startS3Server } from '../../test/support/s3-server.ts';
import { type Running, startRapport } from '../server.ts';
import { loadConfig } from './config.ts';

describe('a server whose RAPPORT_STORAGE_URL names an S3 store', () => {
  let s3: S3Server;
  let running: Running;
  let dataDir: string;
  beforeAll(async () => {
    s3 = await startS3Server();
    dataDir = mkdtempSync(path.join(tmpdir(), 'rapport-s3-server-'));
    running = await startRapport(
      loadConfig({
        PORT: '0',
        RAPPORT_DATA_DIR: dataDir,
        RAPPORT_ROLES: 'web',
        RAPPORT_ADMIN_EMAIL: 'admin@example.com',
        RAPPORT_ADMIN_PASSWORD: 'correct horse battery staple',
        RAPPORT_STORAGE_URL: s3.storageUrl('files'),
        LOG_LEVEL: 'silent',
      }),
    );
  });
  afterAll(async () => {
    await running?.stop();
    await s3?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stores an upload over HTTP in the bucket and serves it back', async () => {
    const login = await fetch(`${running.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'correct horse battery staple' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((value) => value.split(';')[0])
      .join('; ');

    const bytes = randomBytes(200_000);
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'contract.pdf');
    const upload = await fetch(`${running.url}/api/v1/attachments`, {
      method: 'POST',
      headers: { cookie },
      body: form,
    });
    expect(upload.status).toBe(201);
    const body = (await upload.json()) as { data: { id: string; size: number }[] };
    const [file] = body.data;
    expect(file!.size).toBe(bytes.length);

    const download = await fetch(`${running.url}/api/v1/attachments/${file!.id}`, { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);

    // It went to the object store under the URL's folder, and nothing landed on the node's disk.
    const objects = readdirSync(path.join(s3.directory, s3.bucket), { recursive: true }).map(String);
    expect(objects.some((name) => name.startsWith('files'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'attachments'))).toBe(false);
  });
});
