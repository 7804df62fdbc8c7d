import { randomUUID } from 'node:crypto';
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import { openVisitor, type VisitorClient } from '../support/chat-client.ts';
import { composeEmail } from '../support/email.ts';
import { ticketRequest } from '../support/factories.ts';
import { type Node, sleep } from './cluster.ts';

/** What the clients were told was done (acknowledged), and what they only tried. */
export type Ledger = {
  tickets: { subject: string; id: string }[];
  replies: { body: string; id: string; ticketId: string }[];
  emails: string[];
  chats: { clientId: string; conversationId: string }[];
  /** Every ticket subject and reply body sent at least once, acknowledged or not. */
  triedSubjects: string[];
  triedReplies: string[];
  retries: number;
  latencies: Record<'api' | 'smtp' | 'chat', number[]>;
};

export const newLedger = (): Ledger => ({
  tickets: [],
  replies: [],
  emails: [],
  chats: [],
  triedSubjects: [],
  triedReplies: [],
  retries: 0,
  latencies: { api: [], smtp: [], chat: [] },
});

/** An answer a retry cannot change (a 4xx): the load stops with it instead of trying again. */
class Refused extends Error {}

type Target = { live(): Node[]; stopping(): boolean };

/**
 * Runs `attempt` on a live node until it succeeds, moving to another node after a failure, as a
 * client behind a load balancer would. Gives up only when the load is over and no node answers.
 */
async function onSomeNode<T>(
  target: Target,
  ledger: Ledger,
  attempt: (node: Node) => Promise<T | undefined>,
) {
  let failure: unknown;
  for (let tries = 0; ; tries++) {
    const nodes = target.live();
    for (const node of nodes) {
      const result = await attempt(node).catch((error: unknown) => {
        if (error instanceof Refused) throw error;
        failure = error;
        return undefined;
      });
      if (result !== undefined) return result;
      ledger.retries++;
    }
    if (tries > 400) throw new Error(`No node answered for a long time; last: ${String(failure)}`);
    await sleep(50);
  }
}

async function postJson(node: Node, path: string, headers: Record<string, string>, body: unknown) {
  const response = await fetch(`http://127.0.0.1:${node.httpPort}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  if (response.status >= 500 || response.status === 409 || response.status === 429)
    throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  if (response.status !== 201)
    throw new Refused(`POST ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** Creates tickets and answers each with an agent reply, every POST with its own Idempotency-Key. */
export async function apiClient(
  target: Target,
  ledger: Ledger,
  headers: Record<string, string>,
  tag: string,
) {
  for (let n = 0; !target.stopping(); n++) {
    const subject = `${tag} ticket ${n} ${randomUUID()}`;
    ledger.triedSubjects.push(subject);
    const started = performance.now();
    const ticketKey = { ...headers, 'idempotency-key': `t-${subject}` };
    // A retry sends the very same request: same key, same body.
    const request = ticketRequest(`c-${randomUUID()}@customer.example.test`, { subject });
    const ticket = await onSomeNode(target, ledger, (node) =>
      postJson(node, '/api/v1/tickets', ticketKey, request),
    );
    ledger.latencies.api.push(performance.now() - started);
    ledger.tickets.push({ subject, id: ticket.id });
    const body = `${tag} reply ${n} ${randomUUID()}`;
    ledger.triedReplies.push(body);
    const replyKey = { ...headers, 'idempotency-key': `r-${body}` };
    const began = performance.now();
    const reply = await onSomeNode(target, ledger, (node) =>
      postJson(node, `/api/v1/tickets/${ticket.id}/messages`, replyKey, { kind: 'public_reply', body }),
    );
    ledger.latencies.api.push(performance.now() - began);
    ledger.replies.push({ body, id: reply.id, ticketId: ticket.id });
  }
}

async function sendMail(node: Node, from: string, to: string, raw: Buffer): Promise<string> {
  const connection = new SMTPConnection({
    port: node.smtpPort,
    host: '127.0.0.1',
    ignoreTLS: true,
    connectionTimeout: 5000,
    socketTimeout: 15_000,
  });
  connection.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => {
      connection.once('error', reject);
      connection.connect(() => resolve());
    });
    return await new Promise<string>((resolve, reject) =>
      connection.send({ from, to }, raw, (error, info) => (error ? reject(error) : resolve(info.response))),
    );
  } finally {
    connection.close();
  }
}

/** Mails `address` messages with unique Message-IDs, sending each again until a node answers 250. */
export async function smtpClient(target: Target, ledger: Ledger, address: string, tag: string) {
  for (let n = 0; !target.stopping(); n++) {
    const messageId = `<${tag}-${n}-${randomUUID()}@client.example.test>`;
    const from = `sender-${randomUUID().slice(0, 8)}@customer.example.test`;
    const raw = await composeEmail({
      from,
      to: address,
      subject: `${tag} mail ${n}`,
      text: 'Hello',
      messageId,
    });
    const started = performance.now();
    await onSomeNode(target, ledger, async (node) =>
      (await sendMail(node, from, address, raw)).startsWith('250') ? true : undefined,
    );
    ledger.latencies.smtp.push(performance.now() - started);
    ledger.emails.push(messageId);
  }
}

/**
 * A widget visitor saying numbered messages with client ids. When its node dies it reconnects to a
 * live one with its token and the conversation's last sequence number, and says the unacknowledged
 * message again under the same client id.
 */
export async function chatClient(target: Target, ledger: Ledger, workspaceSlug: string, tag: string) {
  let token: string | undefined;
  let conversationId: string | null = null;
  let lastSeq = 0;
  let visitor: VisitorClient | undefined;
  const connect = () =>
    onSomeNode(target, ledger, async (node) =>
      openVisitor(`http://127.0.0.1:${node.httpPort}`, workspaceSlug, {
        ...(token && { token }),
        ...(conversationId && { resume: [{ conversationId, lastSeq }] }),
      }),
    );
  try {
    for (let n = 0; !target.stopping(); n++) {
      const clientId = `${tag}-${n}-${randomUUID()}`;
      const started = performance.now();
      for (;;) {
        visitor ??= await connect();
        token = visitor.token;
        const ack = await Promise.race([
          visitor.say(`${tag} says ${n}`, { clientId, conversationId }),
          visitor.closed.then(() => undefined),
        ]).catch(() => undefined);
        if (ack?.type === 'ack') {
          conversationId = ack.conversationId as string;
          lastSeq = Math.max(lastSeq, Number(ack.seq));
          break;
        }
        if (ack?.type === 'error') throw new Error(`Chat refused a message: ${JSON.stringify(ack)}`);
        visitor.close();
        visitor = undefined;
        ledger.retries++;
      }
      ledger.latencies.chat.push(performance.now() - started);
      ledger.chats.push({ clientId, conversationId: conversationId! });
      await sleep(20);
    }
  } finally {
    visitor?.close();
  }
}

export function p99(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!);
}
