import { Readable } from 'node:stream';
import { and, eq, sql } from 'drizzle-orm';
import { type AttachmentRow, uploadAttachments } from '../attachments/attachment-service.ts';
import { messagingMessages, messagingThreads, tickets } from '../db/schema/index.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import type { Storage } from '../platform/storage.ts';
import type { OpenAccount } from './account-service.ts';
import { customerIdFor, postToTicket } from './channel-intake.ts';
import type { InboundMessage, StatusUpdate } from './messaging-types.ts';

export type MessagingIntakeDeps = { db: Db; storage: Storage };
export type IntakeOutcome = { externalId: string; status: 'stored' | 'duplicate'; ticketId: string };

async function known(db: Db, accountId: string, externalId: string) {
  const [row] = await db
    .select({ messageId: messagingMessages.messageId, threadId: messagingMessages.threadId })
    .from(messagingMessages)
    .where(
      and(
        eq(messagingMessages.accountId, accountId),
        eq(messagingMessages.direction, 'inbound'),
        eq(messagingMessages.externalId, externalId),
      ),
    );
  return row;
}

/** Fetches and stores the message's files before any transaction; a file that fails is named, not fatal. */
async function storeFiles(deps: MessagingIntakeDeps, account: OpenAccount, message: InboundMessage) {
  const skipped: { name: string; reason: string }[] = [];
  const fetched: { name: string; contentType: string; content: Buffer }[] = [];
  for (const file of message.files) {
    try {
      fetched.push({ name: file.name, contentType: file.contentType, content: await file.fetch() });
    } catch (error) {
      skipped.push({
        name: file.name,
        reason: (error instanceof Error ? error.message : String(error)).slice(0, 200),
      });
    }
  }
  if (fetched.length === 0) return { uploads: [] as AttachmentRow[], skipped };
  const uploads = await uploadAttachments(
    deps,
    systemActor(account.workspaceId),
    (async function* () {
      for (const file of fetched)
        yield {
          filename: file.name,
          mimetype: file.contentType,
          stream: Readable.from([file.content]),
          truncated: () => false,
        };
    })(),
  );
  return { uploads, skipped };
}

/**
 * Takes one platform message in: a message seen before is acknowledged and nothing more; otherwise it
 * threads into its conversation's ticket (a closed or merged ticket starts a new one) or opens one for
 * the customer, with its files, in one transaction. Callers acknowledge the webhook after this resolves.
 */
export async function intakeMessage(
  deps: MessagingIntakeDeps,
  account: OpenAccount,
  message: InboundMessage,
): Promise<IntakeOutcome> {
  const { db } = deps;
  const workspaceId = account.workspaceId;
  const seen = await known(db, account.id, message.externalId);
  if (seen)
    return {
      externalId: message.externalId,
      status: 'duplicate',
      ticketId: await ticketOfThread(db, seen.threadId),
    };
  const files = await storeFiles(deps, account, message);
  return db.transaction(async (tx) => {
    // Two deliveries of one message at once: the second waits here, then finds the first.
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(hashtext(${account.id}), hashtext(${message.externalId}))`,
    );
    const twin = await known(tx, account.id, message.externalId);
    if (twin)
      return {
        externalId: message.externalId,
        status: 'duplicate' as const,
        ticketId: await ticketOfThread(tx, twin.threadId),
      };
    const actor = systemActor(workspaceId);
    const [thread] = await tx
      .select({
        id: messagingThreads.id,
        ticketId: messagingThreads.ticketId,
        customerId: messagingThreads.customerId,
        status: tickets.status,
        mergedIntoId: tickets.mergedIntoId,
      })
      .from(messagingThreads)
      .innerJoin(tickets, eq(tickets.id, messagingThreads.ticketId))
      .where(
        and(eq(messagingThreads.accountId, account.id), eq(messagingThreads.externalId, message.threadId)),
      )
      .for('update', { of: messagingThreads });
    const live = thread && thread.status !== 'closed' && !thread.mergedIntoId ? thread : null;
    const customerId = thread?.customerId ?? (await customerIdFor(tx, workspaceId, message.customer));
    const content = {
      kind: 'customer_message' as const,
      channel: 'social' as const,
      body: message.text || (files.uploads.length ? undefined : '(empty message)'),
      uploadIds: files.uploads.map((upload) => upload.id),
      channelMeta: {
        messaging: {
          accountId: account.id,
          platform: account.kind,
          threadId: message.threadId,
          externalId: message.externalId,
        },
        ...(files.skipped.length && { skippedAttachments: files.skipped }),
        ...(thread && !live && { followUpOf: thread.ticketId }),
      },
    };
    const subject = message.text.split('\n')[0]?.slice(0, 120).trim() || `${account.name} conversation`;
    const posted = await postToTicket(
      tx,
      actor,
      live ? { ticketId: live.ticketId } : { customerId, subject },
      content,
    );
    const [saved] = await tx
      .insert(messagingThreads)
      .values({
        workspaceId,
        accountId: account.id,
        externalId: message.threadId,
        customerId,
        ticketId: posted.ticketId,
      })
      .onConflictDoUpdate({
        target: [messagingThreads.accountId, messagingThreads.externalId],
        set: { ticketId: posted.ticketId, updatedAt: sql`now()` },
      })
      .returning({ id: messagingThreads.id });
    await tx.insert(messagingMessages).values({
      workspaceId,
      accountId: account.id,
      threadId: saved!.id,
      messageId: posted.messageId,
      direction: 'inbound',
      externalId: message.externalId,
      status: 'received',
    });
    return { externalId: message.externalId, status: 'stored' as const, ticketId: posted.ticketId };
  });
}

async function ticketOfThread(db: Db, threadId: string): Promise<string> {
  const [row] = await db
    .select({ ticketId: messagingThreads.ticketId })
    .from(messagingThreads)
    .where(eq(messagingThreads.id, threadId));
  return row?.ticketId ?? '';
}

const rank = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4 } as Record<string, number>;

/** Records a platform's delivery status of one of our replies; statuses only move forward. */
export async function recordStatus(db: Db, account: OpenAccount, update: StatusUpdate): Promise<boolean> {
  const rows = await db
    .update(messagingMessages)
    .set({ status: update.status, lastError: update.error ?? null, updatedAt: sql`now()` })
    .where(
      and(
        eq(messagingMessages.accountId, account.id),
        eq(messagingMessages.direction, 'outbound'),
        eq(messagingMessages.externalId, update.externalId),
        sql`coalesce((${JSON.stringify(rank)}::jsonb ->> ${messagingMessages.status})::int, 0) < ${rank[update.status] ?? 0}`,
      ),
    )
    .returning({ id: messagingMessages.id });
  return rows.length > 0;
}

/** Every message of an update, then its statuses; resolves to what happened to each message. */
export async function intakeParsed(
  deps: MessagingIntakeDeps,
  account: OpenAccount,
  parsed: { messages: InboundMessage[]; statuses: StatusUpdate[] },
) {
  const outcomes: IntakeOutcome[] = [];
  for (const message of parsed.messages) outcomes.push(await intakeMessage(deps, account, message));
  for (const status of parsed.statuses) await recordStatus(deps.db, account, status);
  return outcomes;
}
