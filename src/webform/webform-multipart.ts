import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { incomingFile, uploadError } from '../attachments/attachment-routes.ts';
import {
  type AttachmentRow,
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
