import { createHash, randomUUID } from 'node:crypto';
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { attachmentUrl, cleanFileName } from '../attachments/attachment-service.ts';
import { attachments, emailMessageIds, inboundEmails, messages } from '../db/schema/index.ts';
import type { Attachment } from '../db/schema/tickets.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import { newStorageKey } from '../platform/storage.ts';
import { addMessage } from '../tickets/message-service.ts';
import { createTicketWithCustomer } from '../tickets/ticket-service.ts';
import { recordBounce } from './inbound-bounce.ts';
import { countInbound, type InboundTally } from './inbound-counters.ts';
import { type ParsedInbound, type ParsedPart, parseInbound } from './inbound-parse.ts';
import { findQuoteStart } from './inbound-quotes.ts';
import {
  type Destination,
  liveTicket,
  resolveDestination,
  subjectTicketNumber,
  ticketOfMessageIds,
  ticketOfNumber,
} from './inbound-routing.ts';
import type { InboundEmailMeta, IntakeDeps, IntakeInput, IntakeResult } from './inbound-types.ts';
import { rawSource } from './raw-source.ts';

/** Errors that retrying will not fix: the message itself is the problem (bad data, failed validation). */
function isRefusedData(error: unknown): boolean {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    if (current instanceof DomainError && current.code === 'validation_failed') return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('22')) return true;
  }
  return false;
}

type StoredPart = {
  id: string;
  storageKey: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  contentId: string | null;
};
type Skipped = { name: string; size: number; reason: string };

function describeError(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 300);
}

/** Writes the parts to storage before the transaction (no file I/O while it holds locks). */
async function storeParts(deps: IntakeDeps, parts: ParsedPart[]) {
  const perFile = deps.config.RAPPORT_EMAIL_ATTACHMENT_MAX_BYTES;
  let budget = deps.config.RAPPORT_SMTP_MAX_BYTES;
  const stored: StoredPart[] = [];
  const skipped: Skipped[] = [];
  for (const part of parts) {
    const name = cleanFileName(part.filename);
    if (part.content.length > perFile) {
      skipped.push({ name, size: part.content.length, reason: 'larger than the per-file limit' });
      continue;
    }
    if (part.content.length > budget) {
      skipped.push({ name, size: part.content.length, reason: 'over the per-message limit' });
      continue;
    }
    budget -= part.content.length;
    const storageKey = newStorageKey();
    await deps.storage.put(storageKey, part.content);
    stored.push({
      id: randomUUID(),
      storageKey,
      name,
      contentType: part.contentType.split(';')[0]!.trim().toLowerCase() || 'application/octet-stream',
      size: part.content.length,
      sha256: createHash('sha256').update(part.content).digest('hex'),
      contentId: part.contentId,
    });
  }
  return { stored, skipped };
}

/** Points `cid:` images at their stored files; the HTML is sanitised later, by the message service. */
function linkInlineImages(html: string, parts: StoredPart[]): string {
  return html.replace(/\bcid:([^"'\s>)]+)/gi, (whole, cid: string) => {
    const wanted = cid.replace(/^<|>$/g, '').toLowerCase();
    const part = parts.find((p) => p.contentId?.replace(/^<|>$/g, '').toLowerCase() === wanted);
    return part ? attachmentUrl(part.id) : whole;
  });
}

async function findThread(tx: Db, destination: Destination, mail: ParsedInbound, sender: string) {
  const byHeaders = await ticketOfMessageIds(
    tx,
    destination.workspaceId,
    [mail.inReplyTo, ...mail.references].filter((id): id is string => !!id),
  );
  if (byHeaders) return byHeaders;
  const number =
    subjectTicketNumber(mail.subject) ??
    (destination.plusTag && /^\d+$/.test(destination.plusTag) ? Number(destination.plusTag) : null);
  return number === null ? null : ticketOfNumber(tx, destination.workspaceId, number, sender);
}

async function senderOverLimit(tx: Db, deps: IntakeDeps, workspaceId: string, sender: string) {
  const since = new Date(deps.clock.now().getTime() - 60 * 60 * 1000);
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(inboundEmails)
    .where(
      and(
        eq(inboundEmails.workspaceId, workspaceId),
        eq(inboundEmails.fromAddress, sender),
        gt(inboundEmails.createdAt, since),
      ),
    );
  return (row?.n ?? 0) >= deps.config.RAPPORT_EMAIL_SENDER_LIMIT;
}

type Intake = {
  id: string;
  input: IntakeInput;
  destination: Destination;
  mail: ParsedInbound | null;
  parseError: string | null;
  sender: string | null;
};

async function quarantine(
  tx: Db,
  intake: Intake,
  reason: string,
  tally: InboundTally,
): Promise<IntakeResult> {
  const { id, input, destination, mail, sender } = intake;
  await tx.insert(inboundEmails).values({
    id,
    workspaceId: destination.workspaceId,
    status: 'quarantined',
    source: input.source,
    messageIdHeader: mail?.messageId ?? null,
    fromAddress: sender,
    recipients: input.recipients ?? mail?.headerRecipients ?? [],
    subject: mail?.subject.slice(0, 1000) ?? null,
    size: input.raw.length,
    raw: rawSource(input.raw),
    reason,
  });
  await countInbound(tx, destination.workspaceId, tally, 'quarantined');
  return { status: 'quarantined', workspaceId: destination.workspaceId, reason };
}

/** Opens a ticket or threads into one, with the message's files, in the caller's transaction. */
async function storeAsMessage(
  tx: Db,
  intake: Intake,
  mail: ParsedInbound,
  sender: string,
  files: Awaited<ReturnType<typeof storeParts>>,
) {
  const { destination } = intake;
  const workspaceId = destination.workspaceId;
  const actor = systemActor(workspaceId);
  const threaded = await findThread(tx, destination, mail, sender);
  const live = threaded ? await liveTicket(tx, workspaceId, threaded) : null;
  const open = live && live.status !== 'closed' ? live : null;

  if (files.stored.length)
    await tx.insert(attachments).values(
      files.stored.map(({ id, storageKey, name, contentType, size, sha256, contentId }) => ({
        id,
        workspaceId,
        storageKey,
        name,
        contentType,
        size,
        sha256,
        contentId,
      })),
    );
  const listed: Attachment[] = files.stored
    .filter((part) => !part.contentId)
    .map((part) => ({
      name: part.name,
      contentType: part.contentType,
      size: part.size,
      url: attachmentUrl(part.id),
    }));
  const meta: InboundEmailMeta = {
    inboundEmailId: intake.id,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    from: { address: sender, name: mail.from?.name ?? '' },
    to: mail.to,
    cc: mail.cc,
    recipient: destination.recipient,
    subject: mail.subject,
    date: mail.date?.toISOString() ?? null,
    autoReply: mail.autoReply,
    quoteStart: findQuoteStart(mail.text),
  };
  const content = {
    body: mail.text || (mail.html ? undefined : listed.length ? undefined : '(no text)'),
    html: mail.html ? linkInlineImages(mail.html, files.stored) : undefined,
    attachments: listed,
    channelMeta: {
      email: meta,
      ...(files.skipped.length && { skippedAttachments: files.skipped }),
      ...(live && !open && { followUpOf: live.id }),
    },
    channel: 'email' as const,
  };

  let ticketId: string;
  let messageId: string;
  if (open) {
    // An auto-reply is kept on the ticket but must not reopen it.
    const { message } = await addMessage(tx, actor, open.id, {
      ...content,
      kind: 'customer_message',
      ...(mail.autoReply && { status: open.status }),
    });
    ticketId = open.id;
    messageId = message.id;
  } else {
    const ticket = await createTicketWithCustomer(tx, actor, {
      subject: mail.subject || '(no subject)',
      customer: { email: sender, name: mail.from?.name || undefined },
      message: content,
      channel: 'email',
      teamId: destination.teamId,
      tags: mail.autoReply ? ['auto-reply'] : [],
    });
    ticketId = ticket.id;
    const [first] = await tx
      .select({ id: messages.id })
      .from(messages)
      .where(eq(messages.ticketId, ticket.id))
      .limit(1);
    messageId = first!.id;
  }
  if (files.stored.length)
    await tx
      .update(attachments)
      .set({ messageId })
      .where(
        inArray(
          attachments.id,
          files.stored.map((part) => part.id),
        ),
      );
  return { ticketId, messageId, created: !open };
}

/**
 * Takes one raw message in: dedupes it by Message-ID, quarantines what cannot become a message (unparseable,
 * no sender, a sender over its hourly limit), attaches bounces to what bounced, and otherwise threads it
 * into its ticket or opens one, keeping the raw source, in one transaction. See IntakeResult for when a
 * caller may acknowledge.
 */
export async function intakeEmail(deps: IntakeDeps, input: IntakeInput): Promise<IntakeResult> {
  let mail: ParsedInbound | null = null;
  let parseError: string | null = null;
  try {
    mail = await parseInbound(input.raw, input.envelopeFrom);
  } catch (error) {
    parseError = describeError(error);
  }
  const recipients = input.recipients?.length ? input.recipients : (mail?.headerRecipients ?? []);
  const destination = await resolveDestination(deps.db, recipients, input);
  if (!destination) throw new Error('No workspace exists to take mail in');
  const envelopeSender = input.envelopeFrom?.trim().toLowerCase() || null;
  const sender = mail?.from?.address ?? (envelopeSender?.includes('@') ? envelopeSender : null);
  const intake: Intake = { id: randomUUID(), input, destination, mail, parseError, sender };
  const { workspaceId } = destination;

  // Files only for a message that will become one; the authoritative duplicate check is in the transaction.
  const worthStoring =
    mail && sender && !mail.bounce && !(await ticketOfMessageIds(deps.db, workspaceId, [mail.messageId]));
  const files = worthStoring ? await storeParts(deps, mail!.parts) : { stored: [], skipped: [] };
  const dropFiles = () =>
    Promise.all(files.stored.map((part) => deps.storage.delete(part.storageKey).catch(() => {})));
  let result: IntakeResult;
  try {
    result = await deps.db.transaction(async (tx) => {
      const tally: InboundTally = { received: 1 };
      if (!mail) return quarantine(tx, intake, `unparseable: ${parseError}`, tally);
      // Two deliveries of one message at once: the second waits here and then finds the first.
      await tx.execute(
        sql`SELECT pg_advisory_xact_lock(hashtext(${workspaceId}), hashtext(${mail.messageId}))`,
      );
      const [seen] = await tx
        .select({ ticketId: emailMessageIds.ticketId })
        .from(emailMessageIds)
        .where(
          and(
            eq(emailMessageIds.workspaceId, workspaceId),
            eq(emailMessageIds.messageIdHeader, mail.messageId),
          ),
        );
      if (seen) {
        await countInbound(tx, workspaceId, tally, 'duplicates');
        return { status: 'duplicate', workspaceId, ticketId: seen.ticketId };
      }
      if (mail.bounce) return recordBounce(tx, intake.id, input, workspaceId, mail, sender, tally);
      if (!sender) return quarantine(tx, intake, 'no sender address', tally);
      if (!input.skipSenderLimit && (await senderOverLimit(tx, deps, workspaceId, sender)))
        return quarantine(
          tx,
          intake,
          `sender over ${deps.config.RAPPORT_EMAIL_SENDER_LIMIT} messages an hour`,
          tally,
        );

      let stored: Awaited<ReturnType<typeof storeAsMessage>>;
      try {
        // In a savepoint: a message the database refuses is held for review instead of being retried forever.
        stored = await tx.transaction((savepoint) => storeAsMessage(savepoint, intake, mail!, sender, files));
      } catch (error) {
        if (!isRefusedData(error)) throw error;
        return quarantine(tx, intake, `not storable: ${describeError(error)}`, tally);
      }
      await tx.insert(inboundEmails).values({
        id: intake.id,
        workspaceId,
        status: 'stored',
        source: input.source,
        messageIdHeader: mail.messageId,
        fromAddress: sender,
        recipients,
        subject: mail.subject.slice(0, 1000),
        size: input.raw.length,
        raw: rawSource(input.raw),
        ticketId: stored.ticketId,
        messageId: stored.messageId,
      });
      await tx.insert(emailMessageIds).values({
        workspaceId,
        messageIdHeader: mail.messageId,
        direction: 'inbound',
        ticketId: stored.ticketId,
        messageId: stored.messageId,
      });
      await countInbound(tx, workspaceId, tally, 'stored');
      return { status: 'stored', workspaceId, ...stored, autoReply: mail.autoReply };
    });
  } catch (error) {
    // Nothing was committed: the files have no row pointing at them.
    await dropFiles();
    throw error;
  }
  // A twin delivery won the race while these files were written: they belong to nothing.
  if (result.status !== 'stored') await dropFiles();
  deps.metrics
    ?.counter('rapport_email_inbound_total', 'Inbound email messages by source and outcome', [
      'source',
      'status',
    ])
    .inc({ source: input.source, status: result.status });
  return result;
}
