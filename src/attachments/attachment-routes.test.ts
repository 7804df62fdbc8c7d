import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser } from '../../test/support/factories.ts';
import { bearerFor, signedInWorkspace, testDeps } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { type Database, queryRows } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { createDiskStorage } from '../platform/storage.ts';
import { MAX_FILE_BYTES } from './attachment-service.ts';

type Upload = { name: string; type: string; data: Buffer };

function multipart(files: Upload[]) {
  const boundary = `rapport-${randomUUID()}`;
  const parts = files.flatMap((file) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
        `Content-Type: ${file.type}\r\n\r\n`,
    ),
    file.data,
    Buffer.from('\r\n'),
  ]);
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));

describeEachDatabase('attachment routes', (kind) => {
  let database: Database;
  let app: App;
  let storageDir: string;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    storageDir = mkdtempSync(path.join(tmpdir(), 'rapport-attachments-test-'));
    app = await buildApp({ ...testDeps(database), storage: createDiskStorage(storageDir) });
    await app.ready();
  });
  afterAll(() => app.close());

  const setup = () => signedInWorkspace(database);

  const upload = (headers: Record<string, string>, files: Upload[]) => {
    const body = multipart(files);
    return app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...headers, ...body.headers },
      payload: body.payload,
    });
  };

  const rowsOf = async (workspaceId: string) =>
    queryRows<{ id: string; storage_key: string; sha256: string; message_id: string | null }>(
      database.db,
      sql`SELECT id, storage_key, sha256, message_id FROM attachments WHERE workspace_id = ${workspaceId}`,
    );

  it('round-trips the bytes and serves only safe types inline', async () => {
    const { workspace, headers } = await setup();
    const bytes = randomBytes(300_000);
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(64)]);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const response = await upload(headers, [
      { name: '../../etc/Invoice März.bin', type: 'application/octet-stream', data: bytes },
      { name: 'photo.png', type: 'image/png', data: png },
      { name: 'logo.svg', type: 'image/svg+xml', data: svg },
      { name: 'page.html', type: 'text/html; charset=utf-8', data: Buffer.from('<h1>hi</h1>') },
    ]);
    expect(response.statusCode).toBe(201);
    const [binary, photo, logo, page] = response.json().data;
    expect(binary).toEqual({
      id: expect.any(String),
      name: 'Invoice März.bin',
      contentType: 'application/octet-stream',
      size: bytes.length,
      url: `/api/v1/attachments/${binary.id}`,
    });
    const rows = await rowsOf(workspace.id);
    expect(rows).toHaveLength(4);
    const stored = rows.find((row) => row.id === binary.id)!;
    expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(stored.message_id).toBeNull();
    // The uploaded name never reaches the disk: files are named by their random key.
    expect(filesUnder(storageDir).some((file) => file.includes('Invoice') || file.includes('etc'))).toBe(
      false,
    );
    expect(filesUnder(storageDir).some((file) => file.endsWith(stored.storage_key))).toBe(true);

    const download = await app.inject({ method: 'GET', url: binary.url, headers });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(bytes)).toBe(true);
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="Invoice M_rz.bin"; filename*=UTF-8''Invoice%20M%C3%A4rz.bin`,
    );
    expect(download.headers['x-content-type-options']).toBe('nosniff');

    const image = await app.inject({ method: 'GET', url: photo.url, headers });
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['content-disposition']).toMatch(/^inline;/);
    expect(image.rawPayload.equals(png)).toBe(true);

    for (const risky of [logo, page]) {
      const served = await app.inject({ method: 'GET', url: risky.url, headers });
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe('application/octet-stream');
      expect(served.headers['content-disposition']).toMatch(/^attachment;/);
      expect(served.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await app.inject({ method: 'GET', url: logo.url, headers })).rawPayload.equals(svg)).toBe(true);
  });

  it('refuses a file over 25 MB with 413 and leaves no row or file behind', async () => {
    const { workspace, headers } = await setup();
    const before = filesUnder(storageDir).length;
    const response = await upload(headers, [
      { name: 'small.txt', type: 'text/plain', data: Buffer.from('fine') },
      { name: 'huge.bin', type: 'application/octet-stream', data: Buffer.alloc(MAX_FILE_BYTES + 1, 1) },
    ]);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ type: 'urn:rapport:problem:payload_too_large', status: 413 });
    expect(await rowsOf(workspace.id)).toEqual([]);
    expect(filesUnder(storageDir)).toHaveLength(before);
  });

  it('refuses more than 10 files, non-multipart bodies and empty uploads', async () => {
    const { workspace, headers } = await setup();
    const before = filesUnder(storageDir).length;
    const many = Array.from({ length: 11 }, (_, i) => ({
      name: `f${i}.txt`,
      type: 'text/plain',
      data: Buffer.from(`file ${i}`),
    }));
    const tooMany = await upload(headers, many);
    expect(tooMany.statusCode).toBe(413);
    expect(await rowsOf(workspace.id)).toEqual([]);
    expect(filesUnder(storageDir)).toHaveLength(before);

    const json = await app.inject({ method: 'POST', url: '/api/v1/attachments', headers, payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
    expect(json.json().type).toBe('urn:rapport:problem:unsupported_media_type');
    const empty = await upload(headers, []);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().type).toBe('urn:rapport:problem:validation_failed');
  });

  it('keeps files to their workspace and lets light agents read and upload', async () => {
    const { workspace, headers } = await setup();
    const light = await makeUser(database.db, workspace.id, 'light');
    const lightHeaders = await bearerFor(database, light.actor);
    const uploaded = await upload(lightHeaders, [
      { name: 'a.txt', type: 'text/plain', data: Buffer.from('hello') },
    ]);
    expect(uploaded.statusCode).toBe(201);
    const { url } = uploaded.json().data[0];
    expect((await app.inject({ method: 'GET', url, headers })).body).toBe('hello');
    const other = await setup();
    const elsewhere = await app.inject({ method: 'GET', url, headers: other.headers });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().type).toBe('urn:rapport:problem:not_found');
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/attachments/nope', headers })).statusCode).toBe(
      400,
    );
  });

  it('sends uploads with a message: linked once, listed on the message, never another workspace’s', async () => {
    const { workspace, admin, headers } = await setup();
    const ticket = await makeTicket(database.db, admin.actor);
    const [doc, pic] = (
      await upload(headers, [
        { name: 'receipt.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4 receipt') },
        { name: 'crack.jpg', type: 'image/jpeg', data: Buffer.from([0xff, 0xd8, 0xff, 0xe0]) },
      ])
    ).json().data;
    const send = (payload: Record<string, unknown>, as = headers) =>
      app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/messages`, headers: as, payload });

    // Files alone make a message.
    const sent = await send({ kind: 'internal_note', attachmentIds: [doc.id, pic.id, doc.id] });
    expect(sent.statusCode).toBe(201);
    expect(sent.json().attachments).toEqual([
      { name: 'receipt.pdf', contentType: 'application/pdf', size: 16, url: `/api/v1/attachments/${doc.id}` },
      { name: 'crack.jpg', contentType: 'image/jpeg', size: 4, url: `/api/v1/attachments/${pic.id}` },
    ]);
    const rows = await rowsOf(workspace.id);
    expect(rows.map((row) => row.message_id)).toEqual([sent.json().id, sent.json().id]);
    const timeline = await app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      headers,
    });
    expect(timeline.json().data.at(-1).attachments).toHaveLength(2);

    const again = await send({ body: 'Same file again', attachmentIds: [doc.id] });
    expect(again.statusCode).toBe(400);
    expect(again.json().errors).toEqual([
      { path: 'attachmentIds', message: `${doc.id} is not an unsent upload` },
    ]);

    const other = await setup();
    const theirs = (
      await upload(other.headers, [{ name: 'x.txt', type: 'text/plain', data: Buffer.from('x') }])
    ).json().data[0];
    const foreign = await send({ body: 'Look', attachmentIds: [theirs.id] });
    expect(foreign.statusCode).toBe(400);
    expect((await rowsOf(other.workspace.id))[0]!.message_id).toBeNull();
    const messageCount = (
      await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/messages`, headers })
    ).json().data.length;
    expect(messageCount).toBe(2);
    expect((await send({ body: 'x', attachmentIds: ['not-a-uuid'] })).statusCode).toBe(400);
  });
});
