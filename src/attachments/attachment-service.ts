import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { attachments } from '../db/schema/index.ts';
import type { Attachment as MessageAttachment } from '../db/schema/tickets.ts';
import type { Actor, AnyActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { DomainError, invalid, notFound } from '../platform/errors.ts';
import { newStorageKey, type Storage } from '../platform/storage.ts';

export type AttachmentRow = typeof attachments.$inferSelect;

export const MAX_FILE_BYTES = 25 * 1024 * 1024;
export const MAX_FILES = 10;

export const attachmentUrl = (id: string) => `/api/v1/attachments/${id}`;

/** One file as it arrives: its stream ends early with `truncated()` true when it was over the limit. */
export type IncomingFile = {
  filename: string;
  mimetype: string;
  stream: Readable;
  truncated(): boolean;
};

/** A name safe to show and to put in a header: no folders, no control characters, not too long. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return cleaned.slice(0, 255) || 'file';
}

const cleanContentType = (value: string) => {
  const type = value.split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type) && type.length <= 255
    ? type
    : 'application/octet-stream';
};

/** Streams one file into storage, hashing and counting on the way. */
async function storeFile(storage: Storage, file: IncomingFile) {
  const key = newStorageKey();
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  // pipe() does not pass errors on: a client that goes away must fail the write, not stall it.
  file.stream.once('error', (error) => meter.destroy(error));
  await storage.put(key, file.stream.pipe(meter));
  if (file.truncated()) {
    await storage.delete(key);
    throw new DomainError('payload_too_large', `A file may be at most ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  }
  return {
    storageKey: key,
    name: cleanFileName(file.filename),
    contentType: cleanContentType(file.mimetype),
    size,
    sha256: hash.digest('hex'),
  };
}

/**
 * Stores uploaded files and records them, not yet linked to a message. All or nothing: when one file
 * fails (too large, the client went away), the files already stored are removed and no row is written.
 */
export async function uploadAttachments(
  deps: { db: Db; storage: Storage },
  actor: AnyActor,
  files: AsyncIterable<IncomingFile>,
): Promise<AttachmentRow[]> {
  const stored: Awaited<ReturnType<typeof storeFile>>[] = [];
  try {
    for await (const file of files) stored.push(await storeFile(deps.storage, file));
    if (stored.length === 0) throw invalid('Send at least one file', [{ path: 'body', message: 'no file' }]);
    return await deps.db
      .insert(attachments)
      .values(stored.map((file) => ({ ...file, workspaceId: actor.workspaceId, uploadedBy: actor.userId })))
      .returning();
  } catch (error) {
    await Promise.all(stored.map((file) => deps.storage.delete(file.storageKey)));
    throw error;
  }
}

export async function getAttachment(db: Db, actor: Actor, id: string): Promise<AttachmentRow> {
  const [row] = await db
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, id), eq(attachments.workspaceId, actor.workspaceId)));
  if (!row) throw notFound('Attachment');
  return row;
}

/** The file's row and its bytes; throws not_found for another workspace's file or a lost one. */
export async function openAttachment(deps: { db: Db; storage: Storage }, actor: Actor, id: string) {
  const row = await getAttachment(deps.db, actor, id);
  return { row, stream: await deps.storage.get(row.storageKey) };
}

/**
 * Locks uploads a message is about to carry, inside the message's transaction, and describes them for
 * its attachments list. Throws validation_failed unless each is this workspace's and not yet sent.
 */
export async function lockUploads(tx: Db, workspaceId: string, ids: string[]): Promise<MessageAttachment[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const rows = await tx
    .select()
    .from(attachments)
    .where(
      and(
        inArray(attachments.id, wanted),
        eq(attachments.workspaceId, workspaceId),
        isNull(attachments.messageId),
      ),
    )
    .for('update');
  const found = new Map(rows.map((row) => [row.id, row]));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length)
    throw invalid(
      'Some attachments are unknown or were already sent',
      missing.map((id) => ({ path: 'attachmentIds', message: `${id} is not an unsent upload` })),
    );
  return wanted.map((id) => {
    const row = found.get(id)!;
    return { name: row.name, contentType: row.contentType, size: row.size, url: attachmentUrl(row.id) };
  });
}

/** Marks locked uploads as the message's; call after lockUploads in the same transaction. */
export async function linkUploads(tx: Db, workspaceId: string, ids: string[], messageId: string) {
  if (ids.length === 0) return;
  await tx
    .update(attachments)
    .set({ messageId })
    .where(and(inArray(attachments.id, [...new Set(ids)]), eq(attachments.workspaceId, workspaceId)));
}

/**
 * Removes uploads that were never sent (rows and bytes), for an intake that stored files and then
 * failed. Files a message already carries are left alone.
 */
export async function discardUploads(
  deps: { db: Db; storage: Storage },
  workspaceId: string,
  ids: string[],
): Promise<void> {
  if (ids.length === 0) return;
  const removed = await deps.db
    .delete(attachments)
    .where(
      and(
        inArray(attachments.id, [...new Set(ids)]),
        eq(attachments.workspaceId, workspaceId),
        isNull(attachments.messageId),
      ),
    )
    .returning({ storageKey: attachments.storageKey });
  await Promise.all(removed.map((row) => deps.storage.delete(row.storageKey)));
}
