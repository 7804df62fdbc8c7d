import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { incomingFile, uploadError } from '../attachments/attachment-routes.ts';
import {
  type AttachmentRow,
  discardUploads,
  type IncomingFile,
  uploadAttachments,
} from '../attachments/attachment-service.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import type { Storage } from '../platform/storage.ts';

/** Public forms take fewer files than the console: a customer attaches a screenshot or two. */
export const FORM_MAX_FILES = 5;
export const FORM_FIELD_LIMIT = 64 * 1024;

/**
 * Reads a multipart form posted by a customer: its text fields first, then `check` (spam rules,
 * validation) before a byte of any file reaches storage, then the files (stored unsent, as the system).
 * Browsers send fields in page order, so forms put their file input last; fields after a file are
 * ignored, and empty file inputs are skipped.
 */
export async function readCustomerForm(
  request: FastifyRequest,
  deps: { db: Db; storage: Storage },
  workspaceId: string,
  check: (fields: Record<string, string>) => Promise<void>,
): Promise<{ fields: Record<string, string>; uploads: AttachmentRow[] }> {
  if (!request.isMultipart())
    throw new DomainError('unsupported_media_type', 'Send the form as multipart/form-data');
  const parts = request.parts()[Symbol.asyncIterator]();
  const fields: Record<string, string> = {};
  let first: MultipartFile | undefined;
  try {
    for (let next = await parts.next(); !next.done; next = await parts.next()) {
      const part = next.value;
      if (part.type === 'field') {
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      if (!part.filename) {
        part.file.resume();
        continue;
      }
      first = part;
      break;
    }
  } catch (error) {
    throw uploadError(error);
  }
  try {
    await check(fields);
  } catch (error) {
    first?.file.resume();
    throw error;
  }
  if (!first) return { fields, uploads: [] };
  const opening = first;
  async function* files(): AsyncGenerator<IncomingFile> {
    yield incomingFile(opening);
    try {
      for (let next = await parts.next(); !next.done; next = await parts.next()) {
        const part = next.value;
        if (part.type === 'field') continue;
        if (!part.filename) {
          part.file.resume();
          continue;
        }
        yield incomingFile(part);
      }
    } catch (error) {
      throw uploadError(error);
    }
  }
  try {
    return { fields, uploads: await uploadAttachments(deps, systemActor(workspaceId), files()) };
  } catch (error) {
    throw uploadError(error);
  }
}

/**
 * Hands the stored uploads to `send`; when it fails (a late validation error, a replayed stamp, a
 * ticket closed meanwhile), the uploads it did not send are removed before the error goes on.
 */
export async function sendUploads<T>(
  deps: { db: Db; storage: Storage },
  workspaceId: string,
  uploads: AttachmentRow[],
  send: (uploadIds: string[]) => Promise<T>,
): Promise<T> {
  const ids = uploads.map((upload) => upload.id);
  try {
    return await send(ids);
  } catch (error) {
    await discardUploads(deps, workspaceId, ids);
    throw error;
  }
}
