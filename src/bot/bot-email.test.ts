// The answer bot's email auto-reply through real SMTP both ways: the customer's mail client sends to the
// app's SMTP server on loopback, the bot's offer and its follow-ups leave through the worker's sender to
// a sink on loopback, threaded on the one ticket, and the customer's emailed "yes" or "no" settles it.
import { eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeHelpArticles } from '../../test/support/kb-factories.ts';
import { type OutboundWorld, outboundWorld } from '../../test/support/outbound-email.ts';
import { type SmtpSink, startSmtpSink } from '../../test/support/smtp-sink.ts';
import { kbBotAttempts, tickets } from '../db/schema/index.ts';
import { startSmtpIngress } from '../email/smtp-server.ts';
import type { Database } from '../platform/db/database.ts';
import { listMessages } from '../tickets/ticket-queries.ts';
import { HANDOVER_TEXT, SOLVED_TEXT } from './bot-replies.ts';
import { updateBotSettings } from './bot-settings.ts';

describeEachDatabase('answer bot over email, SMTP in and out', (kind) => {
  let database: Database;
  let sink: SmtpSink;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  /** A workspace whose bot answers email, with its own SMTP server on loopback; `run` gets the customer's side. */
  async function withInbox(run: (mail: Mailbox) => Promise<void>) {
    const world = await outboundWorld(database, { env: { RAPPORT_PUBLIC_URL: 'https://help.shop.test' } });
    await world.relayThrough(sink);
    await makeHelpArticles(world.db, world.admin.actor);
    await updateBotSettings(world.db, world.admin.actor, { enabled: true, channels: ['email'] });
    const ingress = await startSmtpIngress(world.deps, { port: 0, host: '127.0.0.1' });
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: ingress.port, ignoreTLS: true });
    try {
      await run(mailbox(world, client));
    } finally {
      client.close();
      await ingress.close();
    }
  }

  type Mailbox = ReturnType<typeof mailbox>;

  function mailbox(world: OutboundWorld, client: Transporter) {
    const customer = `casey-${world.workspace.id.slice(0, 8)}@customer.example.test`;
    const received = () => sink.messages.filter((m) => m.to.includes(customer));
    return {
      world,
      customer,
      /** Sends as the customer's mail client would, then lets the worker run; resolves to the new mail received. */
      async send(message: SendMailOptions): Promise<ParsedMail[]> {
        const before = received().length;
        const info = await client.sendMail({ from: `Casey Customer <${customer}>`, ...message });
        expect(info.response).toMatch(/^250/);
        // The bot's reply is itself an event: relay until nothing is left, then send.
        while ((await world.relay.drain()) > 0);
        await world.sender.runDue();
        return Promise.all(
          received()
            .slice(before)
            .map((m) => m.parsed()),
        );
      },
      async ticket() {
        const rows = await world.db.select().from(tickets).where(eq(tickets.workspaceId, world.workspace.id));
        expect(rows).toHaveLength(1);
        const [attempt] = await world.db
          .select()
          .from(kbBotAttempts)
          .where(eq(kbBotAttempts.ticketId, rows[0]!.id));
        return { ticket: rows[0]!, attempt };
      },
    };
  }

  /** The customer's question, and the bot's offer as their mailbox got it. */
  async function askByEmail(mail: Mailbox) {
    const [offer, ...more] = await mail.send({
      to: mail.world.address,
      subject: 'Locked out',
      text: 'Hello, how do I reset my password? I forgot it.',
    });
    expect(more).toEqual([]);
    const { ticket, attempt } = await mail.ticket();
    expect(ticket).toMatchObject({ channel: 'email', status: 'pending' });
    expect(attempt).toMatchObject({ channel: 'email', offered: true, outcome: 'pending' });
    const question = (await listMessages(mail.world.db, mail.world.admin.actor, ticket.id))[0]!.message;
    const questionId = (question.channelMeta.email as { messageId: string }).messageId;
    expect(offer!.inReplyTo).toBe(questionId);
    expect(offer!.subject).toContain('Locked out');
    expect(offer!.text).toContain('Did this answer your question?');
    expect(offer!.text).toContain(
      `https://help.shop.test/help/${mail.world.workspace.slug}/articles/reset-your-password`,
    );
    return { ticket, offer: offer! };
  }

  /** What a mail client sends when the customer presses Reply: the answer on top, the offer quoted. */
  function replyTo(offer: ParsedMail, answer: string): SendMailOptions {
    const quoted = (offer.text ?? '')
      .trim()
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n');
    return {
      to: !Array.isArray(offer.replyTo) ? offer.replyTo!.value[0]!.address! : '',
      subject: `Re: ${offer.subject}`,
      inReplyTo: offer.messageId!,
      references: [offer.inReplyTo!, offer.messageId!],
      text: `${answer}\n\nOn Mon, 30 Nov 2026 at 10:05, Shop Help wrote:\n${quoted}\n`,
    };
  }

  it('emails the articles with "Did this answer your question?", and an emailed yes solves the ticket as the bot’s', async () => {
    await withInbox(async (mail) => {
      const { ticket, offer } = await askByEmail(mail);
      const [thanks, ...more] = await mail.send(replyTo(offer, 'Yes, that did it. Thanks!'));
      expect(more).toEqual([]);
      const after = await mail.ticket();
      expect(after.ticket.id).toBe(ticket.id);
      expect(after.ticket.status).toBe('solved');
      expect(after.attempt).toMatchObject({ outcome: 'accepted' });
      expect(after.attempt!.acceptedArticleId).toBe(after.attempt!.articleIds[0]);
      // Solved by the bot: no person answered first.
      expect(after.ticket.firstResponseAt).toBeNull();
      expect(thanks!.text).toContain(SOLVED_TEXT);
      expect(thanks!.references).toContain(offer.messageId);
    });
  });

  it('an emailed no hands the ticket to a person, with the bot’s attempt in an internal note the customer never gets', async () => {
    await withInbox(async (mail) => {
      const { ticket, offer } = await askByEmail(mail);
      const [handover, ...more] = await mail.send(replyTo(offer, 'No, that did not help.'));
      expect(more).toEqual([]);
      const after = await mail.ticket();
      expect(after.ticket.status).toBe('open');
      expect(after.attempt).toMatchObject({ outcome: 'rejected' });
      expect(handover!.text).toContain(HANDOVER_TEXT);
      expect(handover!.text).not.toContain('Answer bot handed over');

      const thread = await listMessages(mail.world.db, mail.world.agent.actor, ticket.id);
      const note = thread.find((row) => row.message.kind === 'internal_note')!.message;
      expect(note.bodyText).toContain('The customer said the articles did not answer the question.');
      expect(note.bodyText).toContain('Question: Hello, how do I reset my password? I forgot it.');
      expect(note.bodyText).toContain('Reset your password');
      expect(note.bodyText).toContain("Customer's answer: No, that did not help.");
    });
  });
});
