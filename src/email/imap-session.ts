import { isIP } from 'node:net';
import { ImapFlow, type ImapFlowError } from 'imapflow';
import { BlockedTargetError, guardedLookup } from '../platform/net/outbound-request.ts';
import { isPrivateAddress } from '../platform/net/private-addresses.ts';

/** Where a mailbox lives and how to sign in; the password is already unsealed. */
export type ImapTarget = {
  host: string;
  port: number;
  /** true: TLS from the first byte (993); false: STARTTLS when the server offers it. */
  secure: boolean;
  username: string;
  password: string;
  folder: string;
};

/** How far the folder was read: the last UID taken in, valid only under that UIDVALIDITY. */
export type FolderCursor = { uidValidity: number | null; lastUid: number };

export type SessionOptions = {
  allowPrivate: boolean;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** Messages fetched per round trip, and the bytes one batch may hold. */
  batchSize: number;
  batchBytes: number;
  /** Larger messages stay in the mailbox untouched (they would not fit a ticket anyway). */
  maxMessageBytes: number;
  /** Asked between messages: true ends the session early, at a message boundary. */
  shouldStop: () => boolean;
};

export type SessionHandlers = {
  /** The folder's UIDVALIDITY is new or changed: the cursor restarts at UID 0 under it. */
  restart(uidValidity: number): Promise<void>;
  /** Takes one message in; resolves once it is safe to acknowledge. A rejection ends the session. */
  take(uid: number, raw: Buffer): Promise<void>;
  /** A message left in the mailbox because of its size; the cursor moves past it. */
  skip(uid: number, size: number): Promise<void>;
};

/** An IMAP-side failure (connection, login, folder, protocol), with a message an admin can act on. */
export class ImapSessionError extends Error {
  override name = 'ImapSessionError';
}

class CommandTimeout extends Error {
  override name = 'CommandTimeout';
}

/** Runs one IMAP step with a deadline; on expiry the connection is dropped so nothing lingers. */
async function within<T>(client: ImapFlow, ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      client.close();
      reject(new CommandTimeout(`${what} took longer than ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
]);

/**
 * Says what went wrong in words an admin can act on. imapflow's errors may carry the command sent
 * (for LOGIN, the password), so only the message, code and server text are used, and the password
 * is masked wherever it still appears.
 */
export function describeImapError(
  error: unknown,
  target: Pick<ImapTarget, 'host' | 'port' | 'folder' | 'username' | 'password'>,
): string {
  const where = `${target.host}:${target.port}`;
  const e = (error ?? {}) as ImapFlowError;
  // Dovecot appends its timings, "(0.001 + 0.000 secs)": noise to an admin.
  const said = e.responseText?.replace(/\s*\([\d.+ ]+secs?\)\.?$/, '');
  const server = said ? `: ${said}` : '';
  let text: string;
  if (error instanceof CommandTimeout || error instanceof BlockedTargetError) text = error.message;
  else if (e.authenticationFailed) text = `Sign-in as ${target.username} failed${server}`;
  else if (e.code && networkCodes.has(e.code)) text = `Cannot connect to ${where} (${e.code})`;
  else if (e.code === 'CONNECT_TIMEOUT' || e.code === 'GREETING_TIMEOUT')
    text = `${where} did not answer in time`;
  else if (e.tlsFailed || /^(ERR_SSL|ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO)/.test(e.code ?? ''))
    text = `TLS with ${where} failed: ${e.reason ?? e.message}`;
  else if (e.mailboxMissing || e.serverResponseCode === 'NONEXISTENT')
    text = `Folder "${target.folder}" does not exist${server}`;
  else text = `IMAP error: ${e.message ?? String(error)}${server}`;
  if (target.password) text = text.split(target.password).join('***');
  return text.slice(0, 500);
}

function checkTarget(host: string, allowPrivate: boolean) {
  const literal = host.replace(/^\[|\]$/g, '');
  if (!allowPrivate && isIP(literal) && isPrivateAddress(literal))
    throw new BlockedTargetError(`${literal} is a private address`);
}

type Listed = { uid: number; size: number };

/** Cuts the new messages into batches bounded by count and by bytes (one message may exceed the bytes). */
function batches(messages: Listed[], count: number, bytes: number): Listed[][] {
  const result: Listed[][] = [];
  let current: Listed[] = [];
  let size = 0;
  for (const message of messages) {
    if (current.length && (current.length >= count || size + message.size > bytes)) {
      result.push(current);
      current = [];
      size = 0;
    }
    current.push(message);
    size += message.size;
  }
  if (current.length) result.push(current);
  return result;
}

/**
 * Signs in, opens the folder and hands every message with a UID above the cursor to `take`, in UID
 * order and in bounded batches, marking each \Seen once taken. A UIDVALIDITY other than the cursor's
 * restarts the folder from UID 0 first. IMAP failures throw ImapSessionError; a rejection from a
 * handler is rethrown as it is, after the messages taken before it were marked \Seen.
 */
export async function readNewMessages(
  target: ImapTarget,
  cursor: FolderCursor,
  options: SessionOptions,
  handlers: SessionHandlers,
): Promise<{ taken: number; skipped: number }> {
  const client = new ImapFlow({
    host: target.host,
    port: target.port,
    secure: target.secure,
    auth: { user: target.username, pass: target.password },
    // The name is checked again when the socket connects: what is checked is what is used.
    tls: { lookup: guardedLookup(options.allowPrivate) },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: options.connectTimeoutMs,
    greetingTimeout: options.connectTimeoutMs,
    socketTimeout: options.commandTimeoutMs,
  });
  // Errors surface through the rejected command; an unhandled 'error' event would crash the process.
  client.on('error', () => {});
  const step = <T>(what: string, work: Promise<T>, ms = options.commandTimeoutMs) =>
    within(client, ms, what, work).catch((error: unknown) => {
      throw new ImapSessionError(describeImapError(error, target));
    });
  let taken = 0;
  let skipped = 0;
  try {
    try {
      checkTarget(target.host, options.allowPrivate);
    } catch (error) {
      throw new ImapSessionError(describeImapError(error, target));
    }
    await step('Connecting', client.connect(), options.connectTimeoutMs * 2);
    const folder = await step(`Opening ${target.folder}`, client.mailboxOpen(target.folder));
    const uidValidity = Number(folder.uidValidity);
    let lastUid = cursor.lastUid;
    if (cursor.uidValidity !== uidValidity) {
      await handlers.restart(uidValidity);
      lastUid = 0;
    }
    // UIDNEXT says when nothing is new without listing the folder.
    if (folder.exists === 0 || (folder.uidNext > 0 && folder.uidNext <= lastUid + 1))
      return { taken, skipped };
    // "n:*" always includes the highest UID, even below n: filter to what is really new.
    const listed = (
      await step(
        'Listing new messages',
        client.fetchAll(`${lastUid + 1}:*`, { uid: true, size: true }, { uid: true }),
      )
    )
      .filter((message) => message.uid > lastUid)
      .map((message) => ({ uid: message.uid, size: message.size ?? 0 }))
      .sort((a, b) => a.uid - b.uid);
    for (const batch of batches(listed, options.batchSize, options.batchBytes)) {
      if (options.shouldStop()) break;
      const wanted = batch.filter((message) => message.size <= options.maxMessageBytes);
      const fetched = wanted.length
        ? await step(
            'Fetching messages',
            client.fetchAll(wanted.map((m) => m.uid).join(','), { uid: true, source: true }, { uid: true }),
          )
        : [];
      const sources = new Map(fetched.map((message) => [message.uid, message.source]));
      const seen: number[] = [];
      let failure: unknown;
      try {
        for (const message of batch) {
          if (options.shouldStop()) break;
          const source = sources.get(message.uid);
          if (message.size > options.maxMessageBytes) {
            await handlers.skip(message.uid, message.size);
            skipped++;
          } else if (source) {
            await handlers.take(message.uid, source);
            seen.push(message.uid);
            taken++;
          }
          // A message gone between listing and fetching was expunged: there is nothing to take.
        }
      } catch (error) {
        failure = error;
      }
      if (seen.length) {
        const marking = step(
          'Marking messages seen',
          client.messageFlagsAdd(seen.join(','), ['\\Seen'], { uid: true }),
        );
        // The handler's failure is the one worth reporting; marking is then best effort.
        await (failure ? marking.catch(() => false) : marking);
      }
      if (failure) throw failure;
    }
    return { taken, skipped };
  } finally {
    if (client.usable) await within(client, 5000, 'Logging out', client.logout()).catch(() => client.close());
    else client.close();
  }
}
