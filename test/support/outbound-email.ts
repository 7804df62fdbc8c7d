import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, asc, eq } from 'drizzle-orm';
import { uploadAttachments } from '../../src/attachments/attachment-service.ts';
import { emailAddresses, emailMessageIds, messages, outboundEmails } from '../../src/db/schema/index.ts';
import type { InboundEmailMeta } from '../../src/email/inbound-types.ts';
import { putRelaySettings } from '../../src/email/outbound-relay.ts';
import { createOutboundSender } from '../../src/email/outbound-sender.ts';
import { type Actor, systemActor } from '../../src/platform/auth/actor.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { createOutboxRelay } from '../../src/platform/outbox/relay.ts';
import { addMessage } from '../../src/tickets/message-service.ts';
import { workerHandlers } from '../../src/workers.ts';
import { makeTicket, makeUser, makeWorkspace } from './factories.ts';
import { testDeps } from './http.ts';
import type { SmtpSink } from './smtp-sink.ts';

const unique = () => randomUUID().slice(0, 8);

/**
 * A workspace with a support address, an agent, and its own outbox relay and sending worker (both
 * limited to the workspace, so tests sharing a database never send each other's mail).
 */
export async function outboundWorld(database: Database, overrides: Parameters<typeof testDeps>[1] = {}) {
  const deps: Deps = testDeps(database, overrides);
  const { db } = deps;
  const { workspace, admin } = await makeWorkspace(db);
  const agent = await makeUser(db, workspace.id, 'agent');
  const address = `help-${unique()}@shop.example.test`;
  await db.insert(emailAddresses).values({
    workspaceId: workspace.id,
    address,
    displayName: 'Shop Help',
    isDefault: true,
  });
  const relay = createOutboxRelay({
    database,
    handlers: workerHandlers(deps),
    logger: deps.logger,
    workspaceId: workspace.id,
  });
  const newSender = (options: Parameters<typeof createOutboundSender>[1] = {}) =>
    createOutboundSender(deps, { workspaceId: workspace.id, random: () => 0.5, ...options });
  const sender = newSender();

  const world = {
    deps,
    db,
    workspace,
    admin,
    agent,
    address,
    relay,
    sender,
    newSender,
    /** Points the workspace's relay at the sink. */
    relayThrough: (sink: SmtpSink, extra: { username?: string; password?: string } = {}) =>
      putRelaySettings(deps, admin.actor, { host: sink.host, port: sink.port, ...extra }),
    /** Runs the outbox relay, then the sender, as the worker role would. */
    async flush() {
      await relay.drain();
      return sender.runDue();
    },
    /** A ticket opened by a customer's email, as inbound intake leaves it. */
    async inboundTicket(options: { cc?: string[]; from?: string; subject?: string } = {}) {
      const from = options.from ?? `casey-${unique()}@customer.example.test`;
      const meta = emailMeta(from, address, options.cc ?? [], options.subject ?? 'Cracked lid');
      const ticket = await makeTicket(db, admin.actor, {
        subject: meta.subject,
        customer: { email: from, name: 'Casey Customer' },
        message: { body: 'My lid arrived cracked.', channelMeta: { email: meta } },
        channel: 'email',
      });
      const [first] = await db
        .select({ id: messages.id })
        .from(messages)
        .where(eq(messages.ticketId, ticket.id));
      await recordInbound(ticket.id, first!.id, meta.messageId);
      return { ticket, meta, from };
    },
    /** A further email from the customer on the ticket. */
    async customerWrites(ticketId: string, from: string, options: { cc?: string[] } = {}) {
      const meta = emailMeta(from, address, options.cc ?? [], 'Re: Cracked lid');
      const { message } = await addMessage(db, systemActor(workspace.id), ticketId, {
        kind: 'customer_message',
        body: 'Any news?',
        channelMeta: { email: meta },
      });
      await recordInbound(ticketId, message.id, meta.messageId);
      return meta;
    },
    async reply(
      ticketId: string,
      content: { body?: string; html?: string; files?: { name: string; type: string; bytes: Buffer }[] } = {},
      actor: Actor = agent.actor,
    ) {
      const uploaded = content.files?.length ? await upload(actor, content.files) : [];
      const { message } = await addMessage(db, actor, ticketId, {
        kind: 'public_reply',
        body: content.body ?? 'We are sending a new one today.',
        ...(content.html && { html: content.html }),
        ...(uploaded.length && { attachmentIds: uploaded.map((file) => file.id) }),
      });
      return message;
    },
    outboundOf: (ticketId: string) =>
      db
        .select()
        .from(outboundEmails)
        .where(eq(outboundEmails.ticketId, ticketId))
        .orderBy(asc(outboundEmails.createdAt)),
    outboundByMessage: async (messageId: string) => {
      const [row] = await db
        .select()
        .from(outboundEmails)
        .where(and(eq(outboundEmails.workspaceId, workspace.id), eq(outboundEmails.messageId, messageId)));
      return row;
    },
  };

  async function recordInbound(ticketId: string, messageId: string, header: string) {
    await db.insert(emailMessageIds).values({
      workspaceId: workspace.id,
      messageIdHeader: header,
      direction: 'inbound',
      ticketId,
      messageId,
    });
  }

  function upload(actor: Actor, files: { name: string; type: string; bytes: Buffer }[]) {
    async function* incoming() {
      for (const file of files)
        yield {
          filename: file.name,
          mimetype: file.type,
          stream: Readable.from([file.bytes]),
          truncated: () => false,
        };
    }
    return uploadAttachments(deps, actor, incoming());
  }

  return world;
}

export type OutboundWorld = Awaited<ReturnType<typeof outboundWorld>>;

function emailMeta(from: string, recipient: string, cc: string[], subject: string): InboundEmailMeta {
  return {
    inboundEmailId: randomUUID(),
    messageId: `<${randomUUID()}@mail.customer.example.test>`,
    inReplyTo: null,
    references: [],
    from: { address: from, name: 'Casey Customer' },
    to: [recipient],
    cc,
    recipient,
    subject,
    date: null,
    autoReply: false,
    quoteStart: null,
  };
}
