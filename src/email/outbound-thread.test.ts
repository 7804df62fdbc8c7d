// The whole loop through real SMTP: a customer's email opens a ticket, the agent's reply goes out, and
// the customer's mail client answering it lands back on the same ticket.
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { composeEmail } from '../../test/support/email.ts';
import { type OutboundWorld, outboundWorld } from '../../test/support/outbound-email.ts';
import { type SmtpSink, startSmtpSink } from '../../test/support/smtp-sink.ts';
import type { Database } from '../platform/db/database.ts';
import { intakeEmail } from './inbound-intake.ts';
import type { IntakeResult } from './inbound-types.ts';

describeEachDatabase('outbound email threading', (kind) => {
  let database: Database;
  let sink: SmtpSink;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  const customer = (world: OutboundWorld) => `dana-${world.workspace.id.slice(0, 8)}@customer.example.test`;

  async function deliver(world: OutboundWorld, raw: Buffer, recipient: string) {
    const result: IntakeResult = await intakeEmail(world.deps, {
      raw,
      source: 'smtp',
      recipients: [recipient],
    });
    if (result.status !== 'stored') throw new Error(`intake said ${result.status}`);
    return result;
  }

  /** The agent answers on the ticket; resolves to what the customer's mailbox received. */
  async function agentAnswers(world: OutboundWorld, ticketId: string, body: string): Promise<ParsedMail> {
    await world.reply(ticketId, { body });
    await world.flush();
    const received = sink.messages.filter((m) => m.to.includes(customer(world)));
    return received.at(-1)!.parsed();
  }

  it("threads the customer's answer to a reply back into its ticket, and the next reply on both", async () => {
    const world = await outboundWorld(database);
    await world.relayThrough(sink);
    const first = await composeEmail({
      from: `Dana Diaz <${customer(world)}>`,
      to: world.address,
      cc: 'partner@customer.example.test',
      subject: 'Parcel never arrived',
      text: 'Hello, my parcel never arrived.',
    });
    const opened = await deliver(world, first, world.address);
    expect(opened.created).toBe(true);

    const reply = await agentAnswers(world, opened.ticketId, 'We are looking into it.');
    expect(reply.inReplyTo).toMatch(/^<.+@client\.example\.test>$/);
    expect(reply.cc && !Array.isArray(reply.cc) ? reply.cc.value.map((a) => a.address) : []).toEqual([
      'partner@customer.example.test',
    ]);
    const replyTo = !Array.isArray(reply.replyTo) ? reply.replyTo!.value[0]!.address! : '';

    // What a mail client sends when the customer presses "Reply".
    const answer = await composeEmail({
      from: `Dana Diaz <${customer(world)}>`,
      to: replyTo,
      subject: reply.subject!,
      inReplyTo: reply.messageId!,
      references: [reply.inReplyTo!, reply.messageId!],
      text: 'Thanks! Any news?',
    });
    const threaded = await deliver(world, answer, replyTo);
    expect(threaded).toMatchObject({ ticketId: opened.ticketId, created: false });

    const next = await agentAnswers(world, opened.ticketId, 'It ships today.');
    const answerId = (await simpleParser(answer)).messageId!;
    expect(next.inReplyTo).toBe(answerId);
    expect(next.references).toEqual([reply.inReplyTo, reply.messageId, answerId]);
  });

  it("threads an answer that kept only the reply's plus-address", async () => {
    const world = await outboundWorld(database);
    await world.relayThrough(sink);
    const opened = await deliver(
      world,
      await composeEmail({
        from: customer(world),
        to: world.address,
        subject: 'Refund',
        text: 'Where is it?',
      }),
      world.address,
    );
    const reply = await agentAnswers(world, opened.ticketId, 'Sent yesterday.');
    const replyTo = !Array.isArray(reply.replyTo) ? reply.replyTo!.value[0]!.address! : '';
    const bare = await composeEmail({
      from: customer(world),
      to: replyTo,
      subject: 'thanks',
      text: 'Got it.',
    });
    expect(await deliver(world, bare, replyTo)).toMatchObject({ ticketId: opened.ticketId, created: false });
  });
});
