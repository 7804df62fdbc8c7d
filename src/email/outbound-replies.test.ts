import { and, eq, sql } from 'drizzle-orm';
import type { AddressObject } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { outboundWorld } from '../../test/support/outbound-email.ts';
import { type SmtpSink, startSmtpSink } from '../../test/support/smtp-sink.ts';
import { emailAddresses, emailMessageIds, outboundEmails, outbox } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import { addMessage } from '../tickets/message-service.ts';

const addressesOf = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address));

describeEachDatabase('outbound replies', (kind) => {
  let database: Database;
  let sink: SmtpSink;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  /** The sink's messages for one recipient: every test's customer address is its own. */
  const receivedBy = (address: string) => sink.messages.filter((m) => m.to.includes(address));

  it("emails an agent's reply threaded on the customer's emails, with Cc, From, Reply-To and attachments", async () => {
    const world = await outboundWorld(database);
    await world.relayThrough(sink);
    const { ticket, meta, from } = await world.inboundTicket({
      cc: ['Boss@Customer.example.test', world.address, 'someone@customer.example.test'],
    });
    const second = await world.customerWrites(ticket.id, from, {
      cc: ['boss@customer.example.test', world.address.replace('@', '+7@')],
    });
    const pdf = Buffer.from('%PDF-1.4 label for the new lid\n');
    const reply = await world.reply(ticket.id, {
      body: 'A new lid is on its way.',
      html: '<p>A new lid is <b>on its way</b>.</p><script>alert(1)</script>',
      files: [
        { name: 'label.pdf', type: 'application/pdf', bytes: pdf },
        { name: 'photo.png', type: 'image/png', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) },
      ],
    });
    expect(await world.flush()).toBe(1);

    const [received] = receivedBy(from);
    expect(received).toBeDefined();
    expect(received!.to.sort()).toEqual([from, 'boss@customer.example.test'].sort());
    const mail = await received!.parsed();
    const row = await world.outboundByMessage(reply.id);
    const domain = world.address.split('@')[1]!;
    expect(mail.messageId).toBe(`<rapport.${row!.id}@${domain}>`);
    expect(row!.messageIdHeader).toBe(mail.messageId);
    expect(mail.inReplyTo).toBe(second.messageId);
    expect(mail.references).toEqual([meta.messageId, second.messageId]);
    expect(mail.subject).toBe(`Re: Cracked lid [#${ticket.number}]`);
    expect(mail.from!.value).toEqual([{ address: world.address, name: `${world.agent.name} (Shop Help)` }]);
    expect(mail.from!.text).toContain(`${world.agent.name} (Shop Help)`);
    expect(addressesOf(mail.replyTo)).toEqual([world.address.replace('@', `+${ticket.number}@`)]);
    expect(addressesOf(mail.to)).toEqual([from]);
    expect(addressesOf(mail.cc)).toEqual(['boss@customer.example.test']);
    expect(mail.text?.trim()).toBe('A new lid is on its way.');
    expect(mail.html).toContain('<b>on its way</b>');
    expect(mail.html).not.toContain('script');
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.content.length])).toEqual([
      ['label.pdf', 'application/pdf', pdf.length],
      ['photo.png', 'image/png', 7],
    ]);
    expect(mail.attachments[0]!.content.equals(pdf)).toBe(true);
    expect(mail.headers.get('auto-submitted')).toBeUndefined();

    // The customer's answer will name this Message-ID: it leads back to the ticket.
    const [threaded] = await world.db
      .select()
      .from(emailMessageIds)
      .where(
        and(
          eq(emailMessageIds.workspaceId, world.workspace.id),
          eq(emailMessageIds.messageIdHeader, mail.messageId!),
        ),
      );
    expect(threaded).toMatchObject({ direction: 'outbound', ticketId: ticket.id, messageId: reply.id });
    expect(await world.outboundByMessage(reply.id)).toMatchObject({
      status: 'sent',
      attempts: 1,
      lastError: null,
    });
  });

  it('threads a second reply on the first one and queues nothing twice when an event is replayed', async () => {
    const world = await outboundWorld(database);
    await world.relayThrough(sink);
    const customer = `web-${world.workspace.id}@customer.example.test`;
    const ticket = await makeTicket(world.db, world.admin.actor, {
      channel: 'web',
      customer: { email: customer },
    });
    await world.reply(ticket.id, { body: 'First answer' });
    await world.flush();
    await world.reply(ticket.id, { body: 'Second answer' });
    await world.flush();

    const [first, second] = await Promise.all(receivedBy(customer).map((m) => m.parsed()));
    expect(first!.inReplyTo).toBeUndefined();
    expect(first!.references).toBeUndefined();
    // Without an inbound email, the reply goes out from the default address, still threaded on ours.
    expect(first!.from!.value[0]!.address).toBe(world.address);
    expect(second!.references).toBe(first!.messageId);
    expect(second!.inReplyTo).toBeUndefined();

    // Every event handled again, as after a crash between handling and marking done.
    await world.db
      .update(outbox)
      .set({ processedAt: null })
      .where(eq(outbox.workspaceId, world.workspace.id));
    await world.relay.drain();
    await world.sender.runDue();
    expect(await world.outboundOf(ticket.id)).toHaveLength(2);
    expect(receivedBy(customer)).toHaveLength(2);
    const ids = await world.db
      .select({ n: sql<number>`count(*)::int` })
      .from(emailMessageIds)
      .where(eq(emailMessageIds.ticketId, ticket.id));
    expect(ids[0]!.n).toBe(2);
  });

  it('queues nothing for notes, customer messages, phone tickets or customers without an email address', async () => {
    const world = await outboundWorld(database);
    const emailTicket = await makeTicket(world.db, world.admin.actor, { channel: 'email' });
    await addMessage(world.db, world.agent.actor, emailTicket.id, {
      kind: 'internal_note',
      body: 'Call them?',
    });
    const phone = await makeTicket(world.db, world.admin.actor, { channel: 'phone' });
    await world.reply(phone.id);
    const phoneOnly = await makeTicket(world.db, world.admin.actor, {
      channel: 'api',
      customer: { phone: '+15550100', name: 'Pat Phone' },
    });
    await world.reply(phoneOnly.id);
    await world.relay.drain();
    const queued = await world.db
      .select()
      .from(outboundEmails)
      .where(eq(outboundEmails.workspaceId, world.workspace.id));
    expect(queued).toEqual([]);
  });

  it('emails the first message of a ticket an agent opens towards a customer', async () => {
    const world = await outboundWorld(database);
    await world.relayThrough(sink);
    const customer = `refund-${world.workspace.id}@customer.example.test`;
    const ticket = await makeTicket(world.db, world.agent.actor, {
      subject: 'Your refund',
      customer: { email: customer },
      channel: 'email',
      message: { kind: 'public_reply', body: 'We refunded your order.' },
    });
    await world.flush();
    const [mail] = await Promise.all(receivedBy(customer).map((m) => m.parsed()));
    // It opens the thread: nothing to answer yet, so no "Re:".
    expect(mail!.subject).toBe(`Your refund [#${ticket.number}]`);
    expect(mail!.text?.trim()).toBe('We refunded your order.');
  });

  it('sends from the address the customer wrote to, branded with the workspace name when it has no display name', async () => {
    const world = await outboundWorld(database);
    await world.relayThrough(sink);
    const sales = `sales-${world.address}`;
    await world.db.insert(emailAddresses).values({ workspaceId: world.workspace.id, address: sales });
    const { ticket, from } = await world.inboundTicket();
    // The customer's latest email went to the sales address.
    await world.db.execute(
      sql`UPDATE messages SET channel_meta = jsonb_set(channel_meta, '{email,recipient}', to_jsonb(${sales}::text))
          WHERE ticket_id = ${ticket.id}`,
    );
    await world.reply(ticket.id, {}, world.admin.actor);
    await world.flush();
    const [mail] = await Promise.all(receivedBy(from).map((m) => m.parsed()));
    expect(mail!.from!.value).toEqual([
      { address: sales, name: `${world.admin.name} (${world.workspace.name})` },
    ]);
    expect(addressesOf(mail!.replyTo)).toEqual([sales.replace('@', `+${ticket.number}@`)]);
  });
});
