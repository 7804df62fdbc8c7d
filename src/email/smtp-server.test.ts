import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { composeEmail, uniqueAddress } from '../../test/support/email.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { testDeps } from '../../test/support/http.ts';
import { inboundEmails, messages, tickets } from '../db/schema/index.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { createSupportAddress } from './address-service.ts';
import { readInboundCounts } from './inbound-counters.ts';
import { type SmtpIngress, startSmtpIngress } from './smtp-server.ts';

/** Sends one raw message over a fresh SMTP connection; resolves to the server's final answer. */
async function sendRaw(
  port: number,
  from: string,
  to: string[],
  raw: Buffer,
  options: { tls?: boolean } = {},
) {
  const connection = new SMTPConnection({
    port,
    host: '127.0.0.1',
    ignoreTLS: !options.tls,
    requireTLS: options.tls ?? false,
    tls: { rejectUnauthorized: false },
  });
  await new Promise<void>((resolve, reject) => {
    connection.once('error', reject);
    connection.connect(() => resolve());
  });
  try {
    return await new Promise<{ response: string; secure: boolean }>((resolve, reject) =>
      connection.send({ from, to }, raw, (error, info) =>
        error ? reject(error) : resolve({ response: info.response, secure: connection.secure }),
      ),
    );
  } finally {
    connection.quit();
  }
}

/** The server's answer to EHLO, read off a plain socket. */
function ehloReply(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (/^220 /m.test(text) && !text.includes('EHLO-SENT')) {
        text += 'EHLO-SENT\n';
        socket.write('EHLO tester.example.test\r\n');
      } else if (/^250 /m.test(text)) {
        socket.end('QUIT\r\n');
        resolve(text);
      }
    });
    socket.once('error', reject);
  });
}

describeEachDatabase('SMTP server', (kind) => {
  let ingress: SmtpIngress;
  let deps: ReturnType<typeof testDeps>;
  beforeAll(async () => {
    deps = testDeps(await sharedDatabase(kind), { env: { RAPPORT_SMTP_MAX_BYTES: String(200_000) } });
    ingress = await startSmtpIngress(deps, { port: 0, host: '127.0.0.1' });
  });
  afterAll(() => ingress.close());

  async function inbox() {
    const { workspace, admin } = await makeWorkspace(deps.db);
    const { address } = await createSupportAddress(deps.db, admin.actor, { address: uniqueAddress() });
    return { workspace, address };
  }

  it('answers 250 once the message is stored, and a second delivery of it makes no second message', async () => {
    const { workspace, address } = await inbox();
    const raw = await composeEmail({
      from: 'Lee <lee@example.test>',
      to: address,
      subject: 'Hello',
      text: 'Hi there',
    });
    const first = await sendRaw(ingress.port, 'lee@example.test', [address], raw);
    expect(first.response).toMatch(/^250 OK stored as message/);
    // The 250 came after the commit: the rows are there now, not eventually.
    const rows = await deps.db.select().from(tickets).where(eq(tickets.workspaceId, workspace.id));
    expect(rows).toHaveLength(1);
    const again = await sendRaw(ingress.port, 'lee@example.test', [address], raw);
    expect(again.response).toMatch(/^250 OK already have this message/);
    const kept = await deps.db.select().from(messages).where(eq(messages.ticketId, rows[0]!.id));
    expect(kept).toHaveLength(1);
    expect(await readInboundCounts(deps.db, workspace.id)).toMatchObject({
      received: 2,
      stored: 1,
      duplicates: 1,
    });
  });

  it('announces its size limit, refuses larger messages with 552 and unknown recipients with 550', async () => {
    const { address } = await inbox();
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: ingress.port, ignoreTLS: true });
    const big = await composeEmail({
      from: 'big@example.test',
      to: address,
      subject: 'Big',
      text: 'x'.repeat(300_000),
    });
    await expect(sendRaw(ingress.port, 'big@example.test', [address], big)).rejects.toMatchObject({
      responseCode: 552,
    });
    await expect(
      transport.sendMail({ from: 'a@example.test', to: uniqueAddress('nobody'), subject: 's', text: 't' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    expect(await ehloReply(ingress.port)).toMatch(/^250[- ]SIZE 200000\r?$/m);
    transport.close();
  });

  it('keeps serving after malformed input, storing it with a best-effort decode', async () => {
    const { workspace, address } = await inbox();
    const junk = Buffer.concat([
      Buffer.from(
        `From: junk@example.test\r\nTo: ${address}\r\nSubject: =?bogus-charset?Q?=FF=FE?=\r\nContent-Type: multipart/mixed; boundary="never-closed"\r\n\r\n--never-closed\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n`,
      ),
      Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4, 0x00, 0xff, 0x80, 0x0d, 0x0a]),
    ]);
    const answer = await sendRaw(ingress.port, 'junk@example.test', [address], junk);
    expect(answer.response).toMatch(/^250/);
    const [row] = await deps.db
      .select()
      .from(inboundEmails)
      .where(eq(inboundEmails.workspaceId, workspace.id));
    expect(row!.raw.equals(junk)).toBe(true);
    const next = await composeEmail({
      from: 'after@example.test',
      to: address,
      subject: 'Still there?',
      text: 'yes',
    });
    expect((await sendRaw(ingress.port, 'after@example.test', [address], next)).response).toMatch(/^250/);
  });
});

describe('SMTP server when the database is gone', () => {
  it('answers 451 so the sender keeps the message and retries', async () => {
    const database = await openDatabase({});
    await migrate(database.db);
    const deps = testDeps(database);
    const { admin } = await makeWorkspace(database.db);
    const address = uniqueAddress();
    await createSupportAddress(database.db, admin.actor, { address });
    const ingress = await startSmtpIngress(deps, { port: 0, host: '127.0.0.1' });
    try {
      await database.close();
      const raw = await composeEmail({ from: 'x@example.test', to: address, subject: 'Lost?', text: 'no' });
      await expect(sendRaw(ingress.port, 'x@example.test', [address], raw)).rejects.toMatchObject({
        responseCode: 451,
      });
    } finally {
      await ingress.close();
    }
  });
});

describeEachDatabase('SMTP server with a certificate', (kind) => {
  it('offers STARTTLS and takes mail over it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rapport-smtp-tls-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const deps = testDeps(await sharedDatabase(kind), {
      env: { RAPPORT_SMTP_TLS_KEY: key, RAPPORT_SMTP_TLS_CERT: cert },
    });
    const ingress = await startSmtpIngress(deps, { port: 0, host: '127.0.0.1' });
    try {
      const { admin } = await makeWorkspace(deps.db);
      const { address } = await createSupportAddress(deps.db, admin.actor, { address: uniqueAddress() });
      const raw = await composeEmail({
        from: 'tls@example.test',
        to: address,
        subject: 'Secure',
        text: 'over TLS',
      });
      const answer = await sendRaw(ingress.port, 'tls@example.test', [address], raw, { tls: true });
      expect(answer).toMatchObject({ secure: true });
      expect(answer.response).toMatch(/^250/);
    } finally {
      await ingress.close();
    }
  });
});
