import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { composeEmail, uniqueAddress } from '../../test/support/email.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { testDeps } from '../../test/support/http.ts';
import {
  attachments,
  customers,
  inboundEmails,
  messages,
  outboundEmails,
  tickets,
} from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import { listMessages } from '../tickets/ticket-queries.ts';
import { createSupportAddress } from './address-service.ts';
import { readInboundCounts } from './inbound-counters.ts';
import { intakeEmail } from './inbound-intake.ts';
import type { IntakeResult } from './inbound-types.ts';

type Stored = Extract<IntakeResult, { status: 'stored' }>;
const stored = (result: IntakeResult): Stored => {
  expect(result.status).toBe('stored');
  return result as Stored;
};

describeEachDatabase('email intake', (kind) => {
  let db: Db;
  let deps: Deps;
  beforeAll(async () => {
    const database = await sharedDatabase(kind);
    db = database.db;
    deps = testDeps(database, { env: { RAPPORT_EMAIL_SENDER_LIMIT: '5' } });
  });

  async function supportInbox() {
    const { workspace, admin } = await makeWorkspace(db);
    const address = await createSupportAddress(db, admin.actor, {
      address: uniqueAddress(),
      displayName: 'Acme',
    });
    return { workspace, admin, address: address.address };
  }

  it('opens a ticket for a new conversation, finding the customer by address and keeping the raw source', async () => {
    const { workspace, admin, address } = await supportInbox();
    const raw = await composeEmail({
      from: 'Dana Diaz <Dana.Diaz@example.test>',
      to: address,
      cc: 'partner@example.test',
      subject: 'Parcel never arrived',
      text: 'Hello, my parcel never arrived.\n\nOn Mon, 30 Nov 2026 at 09:00, Shop <shop@example.test> wrote:\n> Your order shipped',
    });
    const result = stored(await intakeEmail(deps, { raw, source: 'smtp', recipients: [address] }));
    expect(result).toMatchObject({ workspaceId: workspace.id, created: true, autoReply: false });
    const [ticket] = await db.select().from(tickets).where(eq(tickets.id, result.ticketId));
    expect(ticket).toMatchObject({ subject: 'Parcel never arrived', channel: 'email', status: 'new' });
    const [customer] = await db.select().from(customers).where(eq(customers.id, ticket!.customerId));
    expect(customer!.name).toBe('Dana Diaz');
    const { message } = (await listMessages(db, admin.actor, ticket!.id))[0]!;
    const meta = message.channelMeta.email as Record<string, unknown>;
    expect(meta).toMatchObject({ cc: ['partner@example.test'], recipient: address, autoReply: false });
    expect(message.bodyText.slice(0, meta.quoteStart as number).trim()).toBe(
      'Hello, my parcel never arrived.',
    );
    const [kept] = await db
      .select()
      .from(inboundEmails)
      .where(eq(inboundEmails.id, meta.inboundEmailId as string));
    expect(kept!.raw.equals(raw)).toBe(true);
  });

  it('makes one message of the same Message-ID delivered twice, even at the same moment', async () => {
    const { address, workspace } = await supportInbox();
    const raw = await composeEmail({
      from: 'twice@example.test',
      to: address,
      subject: 'Twice',
      text: 'Once only',
    });
    const results = await Promise.all([
      intakeEmail(deps, { raw, source: 'smtp', recipients: [address] }),
      intakeEmail(deps, { raw, source: 'imap', workspaceId: workspace.id }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'stored']);
    const again = await intakeEmail(deps, { raw, source: 'api', workspaceId: workspace.id });
    expect(again.status).toBe('duplicate');
    const rows = await db.select().from(tickets).where(eq(tickets.workspaceId, workspace.id));
    expect(rows).toHaveLength(1);
    expect(await readInboundCounts(db, workspace.id)).toEqual({
      received: 3,
      stored: 1,
      duplicates: 2,
      quarantined: 0,
    });
  });

  it('threads replies by In-Reply-To / References, by subject token and plus-address from the customer only', async () => {
    const { address, workspace } = await supportInbox();
    const first = await composeEmail({
      from: 'kim@example.test',
      to: address,
      subject: 'Broken zip',
      text: 'The zip broke',
    });
    const opened = stored(await intakeEmail(deps, { raw: first, source: 'smtp', recipients: [address] }));
    const firstId = (
      await db.select().from(inboundEmails).where(eq(inboundEmails.ticketId, opened.ticketId))
    )[0]!.messageIdHeader!;
    const reply = await composeEmail({
      from: 'kim@example.test',
      to: address,
      subject: 'Re: Broken zip',
      text: 'Any news?',
      inReplyTo: firstId,
      references: [firstId],
    });
    const threaded = stored(await intakeEmail(deps, { raw: reply, source: 'smtp', recipients: [address] }));
    expect(threaded).toMatchObject({ ticketId: opened.ticketId, created: false });

    const [ticket] = await db.select().from(tickets).where(eq(tickets.id, opened.ticketId));
    const token = await composeEmail({
      from: 'kim@example.test',
      to: address,
      subject: `Still waiting [#${ticket!.number}]`,
      text: 'Hello?',
    });
    expect(
      stored(await intakeEmail(deps, { raw: token, source: 'smtp', recipients: [address] })).ticketId,
    ).toBe(opened.ticketId);
    const [local, domain] = address.split('@');
    const plus = await composeEmail({
      from: 'kim@example.test',
      to: `${local}+${ticket!.number}@${domain}`,
      subject: 'x',
      text: 'plus',
    });
    expect(
      stored(
        await intakeEmail(deps, {
          raw: plus,
          source: 'smtp',
          recipients: [`${local}+${ticket!.number}@${domain}`],
        }),
      ).ticketId,
    ).toBe(opened.ticketId);
    // A stranger who guesses the number gets a ticket of their own.
    const stranger = await composeEmail({
      from: 'stranger@example.test',
      to: address,
      subject: `Re: [#${ticket!.number}]`,
      text: 'Let me in',
    });
    const own = stored(await intakeEmail(deps, { raw: stranger, source: 'smtp', recipients: [address] }));
    expect(own.ticketId).not.toBe(opened.ticketId);
    expect(own.created).toBe(true);
    const count = await db.select().from(messages).where(eq(messages.ticketId, opened.ticketId));
    expect(count).toHaveLength(4);
    expect((await db.select().from(tickets).where(eq(tickets.workspaceId, workspace.id))).length).toBe(2);
  });

  it('keeps auto-replies on the ticket without reopening it, and tags a new one', async () => {
    const { address, admin } = await supportInbox();
    const first = await composeEmail({
      from: 'ooo@example.test',
      to: address,
      subject: 'Question',
      text: 'Hi',
    });
    const opened = stored(await intakeEmail(deps, { raw: first, source: 'smtp', recipients: [address] }));
    await db.update(tickets).set({ status: 'solved' }).where(eq(tickets.id, opened.ticketId));
    const firstId = (
      await db.select().from(inboundEmails).where(eq(inboundEmails.ticketId, opened.ticketId))
    )[0]!.messageIdHeader!;
    const auto = await composeEmail({
      from: 'ooo@example.test',
      to: address,
      subject: 'Out of office',
      text: 'I am away until Monday.',
      inReplyTo: firstId,
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const kept = stored(await intakeEmail(deps, { raw: auto, source: 'smtp', recipients: [address] }));
    expect(kept).toMatchObject({ ticketId: opened.ticketId, autoReply: true });
    const [ticket] = await db.select().from(tickets).where(eq(tickets.id, opened.ticketId));
    expect(ticket!.status).toBe('solved');
    for (const headers of [{ 'X-Autoreply': 'yes' }, { Precedence: 'bulk' }]) {
      const bulk = await composeEmail({
        from: 'bulk@example.test',
        to: address,
        subject: 'News',
        text: 'n',
        headers,
      });
      const result = stored(await intakeEmail(deps, { raw: bulk, source: 'smtp', recipients: [address] }));
      const [row] = await db.select().from(tickets).where(eq(tickets.id, result.ticketId));
      expect(row!.tags).toContain('auto-reply');
    }
    expect(admin).toBeTruthy();
  });

  it('attaches a delivery report to the outbound message that bounced, without opening a ticket', async () => {
    const { address, workspace } = await supportInbox();
    const opened = stored(
      await intakeEmail(deps, {
        raw: await composeEmail({ from: 'gone@example.test', to: address, subject: 'Hi', text: 'hi' }),
        source: 'smtp',
        recipients: [address],
      }),
    );
    const [outbound] = await db
      .insert(outboundEmails)
      .values({
        workspaceId: workspace.id,
        kind: 'reply',
        dedupeKey: `reply:${opened.messageId}`,
        ticketId: opened.ticketId,
        messageIdHeader: `<rapport.bounce-test.${workspace.id}@help.example.test>`,
        fromAddress: address,
        fromName: 'Agent (Acme)',
        toAddresses: ['gone@example.test'],
        subject: 'Re: Hi [#1]',
        bodyText: 'Hello',
        status: 'sent',
      })
      .returning();
    const dsn = Buffer.from(
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx.example.test>',
        `To: ${address}`,
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <dsn-1@mx.example.test>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        '',
        '--B',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '--B',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.test',
        '',
        'Final-Recipient: rfc822; gone@example.test',
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
        '--B',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${outbound!.messageIdHeader}`,
        'Subject: Re: Hi [#1]',
        '--B--',
        '',
      ].join('\r\n'),
    );
    const result = await intakeEmail(deps, {
      raw: dsn,
      source: 'smtp',
      recipients: [address],
      envelopeFrom: '',
    });
    expect(result).toEqual({ status: 'bounce', workspaceId: workspace.id, outboundEmailId: outbound!.id });
    const [after] = await db.select().from(outboundEmails).where(eq(outboundEmails.id, outbound!.id));
    expect(after).toMatchObject({ status: 'bounced', lastError: 'smtp; 550 5.1.1 User unknown' });
    expect((await db.select().from(tickets).where(eq(tickets.workspaceId, workspace.id))).length).toBe(1);
  });

  it('quarantines what cannot become a message, with its reason, and a sender over the hourly limit', async () => {
    const { address, workspace } = await supportInbox();
    const noSender = Buffer.from(`To: ${address}\r\nSubject: who?\r\n\r\nanonymous\r\n`);
    expect(
      await intakeEmail(deps, { raw: noSender, source: 'api', workspaceId: workspace.id }),
    ).toMatchObject({
      status: 'quarantined',
      reason: 'no sender address',
    });
    const results: string[] = [];
    for (let n = 0; n < 7; n++) {
      const raw = await composeEmail({
        from: 'loop@example.test',
        to: address,
        subject: `Loop ${n}`,
        text: `n${n}`,
      });
      results.push((await intakeEmail(deps, { raw, source: 'smtp', recipients: [address] })).status);
    }
    expect(results).toEqual(['stored', 'stored', 'stored', 'stored', 'stored', 'quarantined', 'quarantined']);
    const held = await db
      .select()
      .from(inboundEmails)
      .where(and(eq(inboundEmails.workspaceId, workspace.id), eq(inboundEmails.status, 'quarantined')));
    expect(held).toHaveLength(3);
    expect(await readInboundCounts(db, workspace.id)).toMatchObject({
      received: 8,
      stored: 5,
      quarantined: 3,
    });
  });

  it('stores attachments and inline images, skipping files over the limit', async () => {
    const { address, admin } = await supportInbox();
    const small = testDeps(await sharedDatabase(kind), {
      env: { RAPPORT_EMAIL_ATTACHMENT_MAX_BYTES: '1000' },
    });
    const raw = await composeEmail({
      from: 'pics@example.test',
      to: address,
      subject: 'Photos',
      html: '<p>See <img src="cid:photo1@x"></p><script>alert(1)</script>',
      attachments: [
        { filename: 'receipt.txt', content: 'paid 20 EUR' },
        { filename: 'photo.png', content: Buffer.alloc(200, 1), cid: 'photo1@x', contentType: 'image/png' },
        { filename: 'huge.bin', content: Buffer.alloc(5000, 2) },
      ],
    });
    const result = stored(await intakeEmail(small, { raw, source: 'smtp', recipients: [address] }));
    const { message } = (await listMessages(db, admin.actor, result.ticketId))[0]!;
    expect(message.attachments.map((a) => a.name)).toEqual(['receipt.txt']);
    expect(message.bodyHtml).not.toContain('script');
    const files = await db.select().from(attachments).where(eq(attachments.messageId, result.messageId));
    const inline = files.find((f) => f.contentId);
    expect(files).toHaveLength(2);
    expect(message.bodyHtml).toContain(`/api/v1/attachments/${inline!.id}`);
    expect(message.channelMeta.skippedAttachments).toEqual([
      { name: 'huge.bin', size: 5000, reason: 'larger than the per-file limit' },
    ]);
  });

  it('accepts every message of the shared sample set and stores it', async (context) => {
    const dir = new URL('../../../shared/data/emails-sample/', import.meta.url);
    let names: string[];
    try {
      names = (await import('node:fs')).readdirSync(dir).filter((name) => name.endsWith('.eml'));
    } catch {
      console.log('[rapport tests] ../shared/data/emails-sample is absent: skipping the sample-set test.');
      return context.skip();
    }
    const { address, workspace } = await supportInbox();
    for (const name of names) {
      const raw = readFileSync(new URL(name, dir));
      const result = await intakeEmail(deps, {
        raw,
        source: 'smtp',
        recipients: [address],
        envelopeFrom: 'sender@example.test',
      });
      expect(['stored', 'bounce'], name).toContain(result.status);
    }
    const kept = await db.select().from(inboundEmails).where(eq(inboundEmails.workspaceId, workspace.id));
    expect(kept).toHaveLength(names.length);
  });
});
