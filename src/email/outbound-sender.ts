import type { Readable } from 'node:stream';
import { and, asc, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { SendMailOptions } from 'nodemailer';
import { attachmentUrl } from '../attachments/attachment-service.ts';
import { attachments, emailMessageIds, messages, outboundEmails, tickets } from '../db/schema/index.ts';
import type { Deps } from '../platform/deps.ts';
import { retryDelayMs } from '../webhooks/webhook-delivery.ts';
import { plusAddress } from './outbound-compose.ts';
import { wakeableLoop } from './outbound-loop.ts';
import { OUTBOUND_CHANNEL, type OutboundRow, recordDeliveryEvent } from './outbound-queue.ts';
import { parseRelayUrl, type Relay, relayFor } from './outbound-relay.ts';
import { type SendOutcome, sendThroughRelay } from './outbound-transport.ts';

// Retries with the webhooks' backoff (30 s doubling, ±20 % jitter, 6 h cap): fourteen attempts span
// about a day of a relay refusing or being down before a message counts as failed.
export const MAX_SEND_ATTEMPTS = 14;
export const NO_RELAY_ERROR = 'No outbound relay configured';
// Without a relay nothing is attempted: the message waits, looking again now and then (and at once when
// an admin sets a relay).
const NO_RELAY_RECHECK_MS = 5 * 60_000;
// A claim is a lease the sender renews while it sends (an attempt may take MAX_SEND_MS): a crashed
// worker's messages are free again within a lease, and sent again, not lost.
const LOCK_MS = 20_000;
const RENEW_EVERY_MS = LOCK_MS / 4;

type Claimed = OutboundRow & { ticketNumber: number | null };
type Attempt = SendOutcome | { ok: false; noRelay: true };

export type OutboundSender = {
  start(): Promise<void>;
  /** Stops polling and waits for the messages in flight to be sent and recorded. */
  stop(): Promise<void>;
  /** Sends everything due now, a batch at a time in parallel; resolves to how many were attempted. */
  runDue(): Promise<number>;
  wake(): void;
};

type SenderDeps = Pick<Deps, 'db' | 'database' | 'clock' | 'config' | 'secretBox' | 'storage' | 'logger'>;

/**
 * Sends queued outbound email through the workspace's relay (or the install's default one). Rows are
 * claimed with FOR UPDATE SKIP LOCKED in one statement that sets locked_until, so no transaction stays
 * open during the SMTP conversation and two workers never send one row at once; only a row still
 * queued is claimed, so a sent one is never sent again. At least once: a row is marked sent only after
 * the relay accepted it, and a worker dying in between leaves it to be sent again, same Message-ID.
 */
export function createOutboundSender(
  deps: SenderDeps,
  options: { batchSize?: number; pollMs?: number; random?: () => number; workspaceId?: string } = {},
): OutboundSender {
  const { db, database, clock, logger, storage } = deps;
  const batchSize = options.batchSize ?? 10;
  const pollMs = options.pollMs ?? 1000;
  const random = options.random ?? Math.random;
  const clientName = deps.config.RAPPORT_PUBLIC_URL
    ? new URL(deps.config.RAPPORT_PUBLIC_URL).hostname
    : undefined;

  async function claim(): Promise<Claimed[]> {
    const now = clock.now();
    const due = db
      .select({ id: outboundEmails.id })
      .from(outboundEmails)
      .where(
        and(
          eq(outboundEmails.status, 'queued'),
          lte(outboundEmails.nextAttemptAt, now),
          or(isNull(outboundEmails.lockedUntil), lte(outboundEmails.lockedUntil, now)),
          options.workspaceId ? eq(outboundEmails.workspaceId, options.workspaceId) : undefined,
        ),
      )
      .orderBy(asc(outboundEmails.nextAttemptAt))
      .limit(batchSize)
      .for('update', { skipLocked: true });
    const rows = await db
      .update(outboundEmails)
      .set({ lockedUntil: new Date(now.getTime() + LOCK_MS) })
      .where(inArray(outboundEmails.id, due))
      .returning();
    if (rows.length === 0) return [];
    const numbers = await db
      .select({ id: tickets.id, number: tickets.number })
      .from(tickets)
      .where(
        inArray(
          tickets.id,
          rows.flatMap((row) => (row.ticketId ? [row.ticketId] : [])),
        ),
      );
    const numberOf = new Map(numbers.map((t) => [t.id, t.number]));
    return rows.map((row) => ({
      ...row,
      ticketNumber: row.ticketId ? (numberOf.get(row.ticketId) ?? null) : null,
    }));
  }

  /** The reply's files, opened from storage as streams for the MIME attachments. */
  async function openFiles(row: Claimed) {
    if (!row.messageId) return [];
    // In the order the message lists them (files uploaded together share one created_at).
    const files = await db
      .select({ file: attachments })
      .from(attachments)
      .innerJoin(messages, eq(messages.id, attachments.messageId))
      .where(and(eq(attachments.messageId, row.messageId), eq(attachments.workspaceId, row.workspaceId)))
      .orderBy(
        sql`(SELECT position FROM jsonb_array_elements(${messages.attachments}) WITH ORDINALITY AS a (item, position)
             WHERE a.item->>'url' = ${attachmentUrl('')}::text || ${attachments.id}::text LIMIT 1)`,
        asc(attachments.createdAt),
        asc(attachments.id),
      );
    const opened: { filename: string; contentType: string; content: Readable; cid?: string }[] = [];
    try {
      for (const { file } of files)
        opened.push({
          filename: file.name,
          contentType: file.contentType,
          content: await storage.get(file.storageKey),
          ...(file.contentId && { cid: file.contentId }),
        });
    } catch (error) {
      for (const file of opened) file.content.destroy();
      throw error;
    }
    return opened;
  }

  function composeMessage(row: Claimed, files: Awaited<ReturnType<typeof openFiles>>): SendMailOptions {
    const notification = row.kind === 'notification';
    return {
      messageId: row.messageIdHeader,
      from: { name: row.fromName, address: row.fromAddress },
      to: row.toAddresses,
      ...(row.ccAddresses.length && { cc: row.ccAddresses }),
      // An answer to a reply carries the ticket's number in its address, whatever the subject says.
      ...(!notification &&
        row.ticketNumber !== null && { replyTo: plusAddress(row.fromAddress, row.ticketNumber) }),
      subject: row.subject,
      ...(row.inReplyTo && { inReplyTo: row.inReplyTo }),
      ...(row.references.length && { references: row.references }),
      text: row.bodyText,
      ...(row.bodyHtml && { html: row.bodyHtml }),
      attachments: files,
      // Agents' notifications are machine-written: out-of-office replies to them must not loop back.
      ...(notification && {
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      }),
    };
  }

  async function attempt(row: Claimed): Promise<Attempt> {
    let relay: Relay | undefined;
    try {
      relay = await relayFor(deps, row.workspaceId);
    } catch (error) {
      return { ok: false, permanent: false, error: `The relay settings cannot be used: ${errorText(error)}` };
    }
    if (!relay) return { ok: false, noRelay: true };
    let files: Awaited<ReturnType<typeof openFiles>>;
    try {
      files = await openFiles(row);
    } catch (error) {
      return { ok: false, permanent: false, error: `An attachment cannot be read: ${errorText(error)}` };
    }
    try {
      return await sendThroughRelay(relay, composeMessage(row, files), {
        allowPrivate: deps.config.RAPPORT_ALLOW_PRIVATE_TARGETS,
        clientName,
      });
    } finally {
      for (const file of files) file.content.destroy();
    }
  }

  async function record(row: Claimed, outcome: Attempt) {
    const now = clock.now();
    const noRelay = !outcome.ok && 'noRelay' in outcome;
    const attempts = noRelay ? row.attempts : row.attempts + 1;
    const error = outcome.ok
      ? outcome.rejected.length
        ? `Refused recipients: ${outcome.rejected.join(', ')}`.slice(0, 500)
        : null
      : 'noRelay' in outcome
        ? NO_RELAY_ERROR
        : outcome.error;
    const failed = !outcome.ok && !noRelay && (outcome.permanent || attempts >= MAX_SEND_ATTEMPTS);
    const status = outcome.ok ? 'sent' : failed ? 'failed' : 'queued';
    const nextAttemptAt = noRelay
      ? new Date(now.getTime() + NO_RELAY_RECHECK_MS)
      : new Date(now.getTime() + retryDelayMs(attempts, random));
    await db.transaction(async (tx) => {
      // The guard drops a stale result when the row was requeued or changed meanwhile.
      const [updated] = await tx
        .update(outboundEmails)
        .set({
          status,
          attempts,
          lockedUntil: null,
          lastError: error,
          ...(status === 'sent' && { sentAt: now }),
          ...(status === 'queued' && { nextAttemptAt }),
        })
        .where(
          and(
            eq(outboundEmails.id, row.id),
            eq(outboundEmails.status, 'queued'),
            eq(outboundEmails.attempts, row.attempts),
          ),
        )
        .returning();
      if (!updated) return;
      // A server that replaces the Message-ID (Microsoft 365, SES) is answered with its own id: thread on both.
      if (outcome.ok && outcome.serverMessageId && row.kind === 'reply' && row.ticketId)
        await tx
          .insert(emailMessageIds)
          .values({
            workspaceId: row.workspaceId,
            messageIdHeader: outcome.serverMessageId,
            direction: 'outbound',
            ticketId: row.ticketId,
            messageId: row.messageId,
          })
          .onConflictDoNothing();
      // Waiting for a relay again and again is one state, not a new one every few minutes.
      if (!(noRelay && row.lastError === NO_RELAY_ERROR)) await recordDeliveryEvent(tx, updated);
    });
    if (failed) logger.warn({ outboundEmailId: row.id, error }, 'outbound email failed');
  }

  /** Extends the lease on the rows of `batch` not yet recorded. */
  async function renew(batch: Claimed[]) {
    const ids = batch.map((row) => row.id);
    await db
      .update(outboundEmails)
      .set({ lockedUntil: new Date(clock.now().getTime() + LOCK_MS) })
      .where(
        and(
          inArray(outboundEmails.id, ids),
          eq(outboundEmails.status, 'queued'),
          isNotNull(outboundEmails.lockedUntil),
        ),
      )
      .catch((error: unknown) => logger.warn({ err: error }, 'could not renew outbound email claims'));
  }

  async function deliver(row: Claimed) {
    const outcome = await attempt(row);
    try {
      await record(row, outcome);
    } catch (error) {
      // The claim expires and the message is sent again: at least once, never lost.
      logger.error({ err: error, outboundEmailId: row.id }, 'could not record an outbound email attempt');
    }
  }

  async function runDue(): Promise<number> {
    let total = 0;
    // A stopping worker finishes the batch in hand and claims no more.
    while (!loop.stopping()) {
      const batch = await claim();
      const renewal = setInterval(() => void renew(batch), RENEW_EVERY_MS);
      try {
        await Promise.all(batch.map(deliver));
      } finally {
        clearInterval(renewal);
      }
      total += batch.length;
      if (batch.length < batchSize) break;
    }
    return total;
  }

  const loop = wakeableLoop({
    database,
    channel: OUTBOUND_CHANNEL,
    pollMs,
    logger,
    what: 'outbound email sending',
    round: runDue,
  });

  return {
    async start() {
      // A mistyped RAPPORT_SMTP_RELAY_URL is said once at start, not only on every message it holds up.
      const url = deps.config.RAPPORT_SMTP_RELAY_URL;
      if (url && !isRelayUrl(url)) logger.error('RAPPORT_SMTP_RELAY_URL is not an smtp:// or smtps:// URL');
      await loop.start();
    },
    stop: loop.stop,
    runDue,
    wake: loop.wake,
  };
}

function isRelayUrl(url: string) {
  try {
    parseRelayUrl(url);
    return true;
  } catch {
    return false;
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 300);
