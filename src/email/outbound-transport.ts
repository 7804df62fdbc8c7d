import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import nodemailer, { type NodemailerError, type SendMailOptions } from 'nodemailer';
import { isPrivateAddress } from '../platform/net/private-addresses.ts';
import type { Relay } from './outbound-relay.ts';

/** What became of one attempt: accepted by the relay, or refused for now or for good. */
export type SendOutcome =
  | { ok: true; rejected: string[]; serverMessageId: string | null }
  | { ok: false; permanent: boolean; error: string };

// Generous for a slow relay, short enough that a dead one frees its worker slot within a minute or two.
const CONNECTION_TIMEOUT_MS = 15_000;
const GREETING_TIMEOUT_MS = 15_000;
const SOCKET_TIMEOUT_MS = 60_000;
/** The longest one attempt can take: the worker's claim must outlive it. */
export const MAX_SEND_MS = CONNECTION_TIMEOUT_MS + GREETING_TIMEOUT_MS + 4 * SOCKET_TIMEOUT_MS;

class BlockedRelayError extends Error {}

/**
 * The address to connect to. A workspace's relay was chosen by an admin of that workspace, so like a
 * webhook it may not reach this host or private networks (unless allowed): its name is resolved here and
 * the address checked is the address used. The install's own relay is the operator's and trusted.
 */
async function addressOf(relay: Relay, allowPrivate: boolean): Promise<string> {
  if (relay.source === 'environment' || allowPrivate) return relay.host;
  if (isIP(relay.host)) {
    if (isPrivateAddress(relay.host)) throw new BlockedRelayError(`${relay.host} is a private address`);
    return relay.host;
  }
  const addresses = await lookup(relay.host, { all: true });
  const usable = addresses.find((a) => !isPrivateAddress(a.address));
  if (!usable) throw new BlockedRelayError(`${relay.host} resolves only to private addresses`);
  return usable.address;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 500);
  const e = error as NodemailerError;
  // The server's own words say most (e.g. "550 5.1.1 No such user"); the client's message otherwise.
  return (e.response?.trim() || e.message).slice(0, 500);
}

/**
 * Hands one message to the relay over SMTP (STARTTLS when offered, or TLS from the start when `secure`).
 * A 5xx answer is permanent, except a refused login: fixing the credentials makes the same message go.
 * Never throws.
 */
export async function sendThroughRelay(
  relay: Relay,
  message: SendMailOptions,
  options: { allowPrivate: boolean; clientName?: string | undefined },
): Promise<SendOutcome> {
  let transport: ReturnType<typeof nodemailer.createTransport> | undefined;
  try {
    const host = await addressOf(relay, options.allowPrivate);
    transport = nodemailer.createTransport({
      host,
      port: relay.port,
      secure: relay.secure,
      // Certificates are checked against the name the admin gave, not the address resolved.
      ...(host !== relay.host && { servername: relay.host, tls: { servername: relay.host } }),
      ...(relay.username && { auth: { user: relay.username, pass: relay.password ?? '' } }),
      ...(options.clientName && { name: options.clientName }),
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: GREETING_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
      // Attachments are buffers and streams we open; the composer must never read a path or URL itself.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    });
    const info = await transport.sendMail(message);
    return { ok: true, rejected: info.rejected.map(String), serverMessageId: info.serverMessageId ?? null };
  } catch (error) {
    const e = error as NodemailerError;
    const permanent = e.permanent === true && e.code !== 'EAUTH';
    return { ok: false, permanent, error: describe(error) };
  } finally {
    transport?.close();
  }
}
