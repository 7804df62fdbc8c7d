import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { emailAddresses, emailMessageIds, outboundEmails, workspaces } from '../db/schema/index.ts';
import type { Config } from '../platform/config.ts';
import { type Db, notify } from '../platform/db/database.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { fallbackAddress, outboundMessageId } from './outbound-compose.ts';

/** The sending worker LISTENs here; a NOTIFY inside the queueing transaction wakes it at commit. */
export const OUTBOUND_CHANNEL = 'rapport_email_outbound';
/** Written on every change of an outbound email's state, so the console's timeline follows it live. */
export const DELIVERY_EVENT = 'email.delivery_updated';

export type OutboundStatus = (typeof outboundEmails.$inferSelect)['status'];
export type OutboundRow = typeof outboundEmails.$inferSelect;

/** The address a workspace's mail goes out from, its brand, and every support address it owns. */
export type Sender = { address: string; brand: string; ownAddresses: string[] };

/**
 * Picks the From address: `preferred` when it is one of the workspace's support addresses (the one the
 * customer wrote to), else the default one, else the first, else support@<public host>. The brand is the
 * address's display name, or the workspace's name.
 */
export async function senderFor(
  tx: Db,
  config: Pick<Config, 'RAPPORT_PUBLIC_URL'>,
  workspaceId: string,
  preferred: string | null,
): Promise<Sender> {
  const rows = await tx
    .select({
      address: emailAddresses.address,
      displayName: emailAddresses.displayName,
      isDefault: emailAddresses.isDefault,
    })
    .from(emailAddresses)
    .where(eq(emailAddresses.workspaceId, workspaceId))
    .orderBy(asc(emailAddresses.createdAt), asc(emailAddresses.id));
  const [workspace] = await tx
    .select({ name: workspaces.name })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  const wanted = preferred?.trim().toLowerCase();
  const chosen = rows.find((row) => row.address === wanted) ?? rows.find((row) => row.isDefault) ?? rows[0];
  return {
    address: chosen?.address ?? fallbackAddress(config.RAPPORT_PUBLIC_URL),
    brand: chosen?.displayName.trim() || workspace?.name || 'Support',
    ownAddresses: rows.map((row) => row.address),
  };
}

const AUTOMATIC_SENDER = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)@/i;
export const NEVER_ANSWERED = 'Not sent: mailer daemons and no-reply addresses are never answered';

/** Addresses no person reads: the system's own bounces and "no-reply" senders. */
export const isAutomaticSender = (address: string) => AUTOMATIC_SENDER.test(address.trim());

export type NewOutbound = {
  workspaceId: string;
  kind: OutboundRow['kind'];
  dedupeKey: string;
  ticketId: string | null;
  messageId: string | null;
  fromAddress: string;
  fromName: string;
  to: string[];
  cc?: string[];
  subject: string;
  inReplyTo?: string | null;
  references?: string[];
  bodyText: string;
  bodyHtml?: string | null;
  /** Record the Message-ID against the ticket, so an answer to this email threads back into it. */
  threads: boolean;
};

/** The `email.delivery_updated` event of a row's new state. */
export async function recordDeliveryEvent(
  tx: Db,
  row: Pick<OutboundRow, 'id' | 'workspaceId' | 'ticketId' | 'messageId' | 'status' | 'lastError'>,
) {
  await recordEvent(tx, {
    workspaceId: row.workspaceId,
    type: DELIVERY_EVENT,
    payload: {
      ticketId: row.ticketId,
      messageId: row.messageId,
      outboundEmailId: row.id,
      status: row.status,
      error: row.lastError,
    },
  });
}

/**
 * Queues one email inside the caller's transaction, unless its dedupe key is queued already (a replayed
 * event): then it writes nothing and resolves to undefined. Its Message-ID is fixed here, so every retry
 * sends the same one.
 */
export async function queueOutbound(tx: Db, mail: NewOutbound): Promise<string | undefined> {
  const id = randomUUID();
  const to = mail.to.filter((address) => !isAutomaticSender(address));
  const cc = (mail.cc ?? []).filter((address) => !isAutomaticSender(address));
  // Answering a mailer daemon or a no-reply address only feeds a loop: keep the row, failed, to say why.
  const refused = to.length === 0;
  const messageIdHeader = outboundMessageId(mail.fromAddress, id);
  const [queued] = await tx
    .insert(outboundEmails)
    .values({
      id,
      workspaceId: mail.workspaceId,
      kind: mail.kind,
      dedupeKey: mail.dedupeKey,
      ticketId: mail.ticketId,
      messageId: mail.messageId,
      messageIdHeader,
      fromAddress: mail.fromAddress,
      fromName: mail.fromName,
      toAddresses: refused ? mail.to : to,
      ccAddresses: cc,
      subject: mail.subject,
      inReplyTo: mail.inReplyTo ?? null,
      references: mail.references ?? [],
      bodyText: mail.bodyText,
      bodyHtml: mail.bodyHtml ?? null,
      ...(refused && { status: 'failed' as const, lastError: NEVER_ANSWERED }),
    })
    .onConflictDoNothing({ target: [outboundEmails.workspaceId, outboundEmails.dedupeKey] })
    .returning();
  if (!queued) return undefined;
  if (mail.threads && mail.ticketId) {
    await tx
      .insert(emailMessageIds)
      .values({
        workspaceId: mail.workspaceId,
        messageIdHeader,
        direction: 'outbound',
        ticketId: mail.ticketId,
        messageId: mail.messageId,
      })
      .onConflictDoNothing();
  }
  await recordDeliveryEvent(tx, queued);
  if (!refused) await notify(tx, OUTBOUND_CHANNEL, '');
  return queued.id;
}

/** The workspace's outbound emails waiting to be sent: due now, and the worker told. */
export async function hurryQueued(tx: Db, workspaceId: string, now: Date) {
  await tx
    .update(outboundEmails)
    .set({ nextAttemptAt: now })
    .where(and(eq(outboundEmails.workspaceId, workspaceId), eq(outboundEmails.status, 'queued')));
  await notify(tx, OUTBOUND_CHANNEL, '');
}
