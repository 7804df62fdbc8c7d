import { timingSafeEqual } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { type IncomingFile, uploadAttachments } from '../attachments/attachment-service.ts';
import { attachments, chatConversations, messages } from '../db/schema/index.ts';
import { systemActor } from '../platform/auth/actor.ts';
import { hmacSha256 } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';
import { invalid, notFound } from '../platform/errors.ts';
import type { Storage } from '../platform/storage.ts';
import type { ChatMessage } from './chat-history.ts';
import type { ChatWorkspace } from './chat-settings.ts';

// Files are signed with the workspace's visitor key: an upload ref names the visitor who uploaded it,
// a download link names the conversation the file belongs to. Neither can be made up or moved.
const sign = (workspace: ChatWorkspace, what: string) => hmacSha256(workspace.visitorKey, what).slice(0, 43);

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What the widget gets back for an upload and later names in its message frame. */
export const uploadRef = (workspace: ChatWorkspace, visitorId: string, attachmentId: string) =>
  `${attachmentId}.${sign(workspace, `upload:${visitorId}:${attachmentId}`)}`;

/** The attachment ids of refs this visitor uploaded; throws validation_failed for any other. */
export function uploadIdsOf(workspace: ChatWorkspace, visitorId: string, refs: string[]): string[] {
  return refs.map((ref) => {
    const [id] = ref.split('.');
    if (!id || !/^[0-9a-f-]{36}$/.test(id) || !sameText(uploadRef(workspace, visitorId, id), ref))
      throw invalid('Attach only files you uploaded', [{ path: 'files', message: 'unknown file' }]);
    return id;
  });
}

/** A link the visitor may open: this conversation's file, and only while it is this conversation's. */
export const visitorFileUrl = (workspace: ChatWorkspace, conversationId: string, attachmentId: string) =>
  `/api/v1/chat/files/${attachmentId}?workspace=${workspace.id}&conversation=${conversationId}&sig=${sign(workspace, `file:${conversationId}:${attachmentId}`)}`;

const agentUrl = /^\/api\/v1\/attachments\/([0-9a-f-]{36})$/;

/**
 * A message as the visitor receives it: each stored file's console link (which needs a signed-in agent)
 * becomes a signed visitor link; a file without a stored copy keeps its name and has no link.
 */
export function forVisitor(workspace: ChatWorkspace, message: ChatMessage): ChatMessage {
  if (message.attachments.length === 0) return message;
  return {
    ...message,
    attachments: message.attachments.map((file) => {
      const id = file.url ? agentUrl.exec(file.url)?.[1] : undefined;
      return { ...file, url: id ? visitorFileUrl(workspace, message.conversationId, id) : null };
    }),
  };
}

/**
 * Stores a visitor's files, unsent, and returns the refs its message frame names them by. The visitor
 * is known once the upload's token field has been read, before its files: hence a function.
 */
export async function uploadVisitorFiles(
  deps: { db: Db; storage: Storage },
  workspace: ChatWorkspace,
  visitorId: () => string,
  files: AsyncIterable<IncomingFile>,
) {
  const rows = await uploadAttachments(deps, systemActor(workspace.id), files);
  return rows.map((row) => ({
    ref: uploadRef(workspace, visitorId(), row.id),
    name: row.name,
    contentType: row.contentType,
    size: row.size,
  }));
}

/**
 * A file for the visitor holding a signed link: throws not_found unless the signature matches and the
 * file is attached to a message of that chat conversation (so a link never opens another chat's file).
 */
export async function openVisitorFile(
  deps: { db: Db; storage: Storage },
  workspace: ChatWorkspace,
  input: { attachmentId: string; conversationId: string; sig: string },
) {
  const expected = sign(workspace, `file:${input.conversationId}:${input.attachmentId}`);
  if (!sameText(expected, input.sig)) throw notFound('File');
  const [row] = await deps.db
    .select({
      storageKey: attachments.storageKey,
      name: attachments.name,
      contentType: attachments.contentType,
      size: attachments.size,
    })
    .from(attachments)
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .innerJoin(chatConversations, eq(chatConversations.ticketId, messages.ticketId))
    .where(
      and(
        eq(attachments.id, input.attachmentId),
        eq(attachments.workspaceId, workspace.id),
        eq(messages.ticketId, input.conversationId),
        // A note's files stay with the agents, whatever link someone guesses.
        sql`${messages.kind} <> 'internal_note'`,
      ),
    );
  if (!row) throw notFound('File');
  return { row, stream: await deps.storage.get(row.storageKey) };
}
