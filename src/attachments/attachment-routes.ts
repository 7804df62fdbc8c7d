import multipart, { type MultipartFile } from '@fastify/multipart';
import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { DomainError } from '../platform/errors.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import {
  type AttachmentRow,
  attachmentUrl,
  type IncomingFile,
  MAX_FILE_BYTES,
  MAX_FILES,
  openAttachment,
  uploadAttachments,
} from './attachment-service.ts';

const tags = ['attachments'];

const attachmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
  url: z.string(),
});

const present = (row: AttachmentRow) => ({
  id: row.id,
  name: row.name,
  contentType: row.contentType,
  size: row.size,
  url: attachmentUrl(row.id),
});

// Shown in the page only when the browser cannot run them: no SVG, which may carry script.
const inlineTypes = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
]);
// Types a browser would render as a document (and run its scripts) if it were ever opened in place.
const activeType = /html|xml|svg|javascript|ecmascript|x-shockwave/;

/** Headers for sending a stored file back without letting it act as a page of ours. */
export function downloadHeaders(row: { name: string; contentType: string; size: number }) {
  const inline = inlineTypes.has(row.contentType);
  const type = activeType.test(row.contentType) ? 'application/octet-stream' : row.contentType;
  const ascii = row.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  // RFC 5987: encodeURIComponent leaves ' ( ) * alone, but they may not appear in an ext-value.
  const encoded = encodeURIComponent(row.name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return {
    'content-type': type,
    'content-length': String(row.size),
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encoded}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, max-age=3600',
  };
}

/** One part of a multipart upload as the attachment service takes it. */
export const incomingFile = (part: MultipartFile): IncomingFile => ({
  filename: part.filename,
  mimetype: part.mimetype,
  stream: part.file,
  truncated: () => part.file.truncated,
});

/** The multipart plugin's own errors, by their stable codes, as ours. */
export function uploadError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE')
    return new DomainError('payload_too_large', `A file may be at most ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
    return new DomainError('payload_too_large', `Send at most ${MAX_FILES} files at once`);
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE')
    return new DomainError('unsupported_media_type', 'Send files as multipart/form-data');
  return error;
}

export function registerAttachmentRoutes(app: App, deps: Deps) {
  // Multipart parsing exists only inside this scope: no other route accepts a file body.
  app.register(async (scope: App) => {
    await scope.register(multipart, {
      limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 10, parts: MAX_FILES + 10 },
    });

    scope.post(
      '/api/v1/attachments',
      {
        // Light agents attach files to their internal notes.
        config: { minRole: 'light' },
        schema: {
          tags,
          description:
            'Uploads files as multipart/form-data (at most 10, 25 MB each). They stay unsent until a ' +
            'message names them in attachmentIds.',
          consumes: ['multipart/form-data'],
          response: { 201: z.object({ data: z.array(attachmentSchema) }) },
        },
      },
      async (request, reply) => {
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > MAX_FILES * MAX_FILE_BYTES + 1024 * 1024)
          throw new DomainError('payload_too_large', 'The upload is larger than the limits allow');
        async function* files(): AsyncGenerator<IncomingFile> {
          try {
            for await (const part of request.files()) yield incomingFile(part);
          } catch (error) {
            throw uploadError(error);
          }
        }
        try {
          const rows = await uploadAttachments(deps, actorOf(request), files());
          return reply.status(201).send({ data: rows.map(present) });
        } catch (error) {
          throw uploadError(error);
        }
      },
    );
  });

  app.get(
    '/api/v1/attachments/:id',
    {
      schema: {
        tags,
        description:
          'Downloads a file. Images are shown inline; everything else downloads, and types a browser ' +
          'could run (HTML, SVG, XML) are sent as application/octet-stream.',
        params: idParams,
      },
    },
    async (request, reply) => {
      const { row, stream } = await openAttachment(deps, actorOf(request), request.params.id);
      return reply.headers(downloadHeaders(row)).send(stream);
    },
  );
}
