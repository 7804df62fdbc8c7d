import multipart from '@fastify/multipart';
import { z } from 'zod';
import { downloadHeaders, incomingFile, uploadError } from '../attachments/attachment-routes.ts';
import type { IncomingFile } from '../attachments/attachment-service.ts';
import { MAX_FILE_BYTES, MAX_FILES } from '../attachments/attachment-service.ts';
import type { Deps } from '../platform/deps.ts';
import { DomainError } from '../platform/errors.ts';
import type { App } from '../platform/http/server.ts';
import { openVisitorFile, uploadVisitorFiles } from './chat-files.ts';
import { workspaceQuery } from './chat-schemas.ts';
import { chatWorkspace, visitorIdOf } from './chat-settings.ts';

const tags = ['chat'];
// A visitor sends a file now and then; a script filling our disk is cut off quickly.
const uploadLimit = { max: 20, timeWindow: '1 minute' };
const downloadLimit = { max: 120, timeWindow: '1 minute' };

const uploadedSchema = z.object({
  ref: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
});

/**
 * Files in live chat for visitors, authorised by the visitor token rather than a session: upload
 * (then name the refs in a message frame's `files`), and download through the signed links messages
 * carry. Same storage, limits and download headers as the console's attachments.
 */
export function registerChatFileRoutes(app: App, deps: Deps) {
  const { db, secretBox } = deps;
  const enabledWorkspace = async (ref: string) => {
    const workspace = await chatWorkspace(db, secretBox, ref);
    if (!workspace.settings.enabled) throw new DomainError('not_found', 'Chat is not enabled here');
    return workspace;
  };

  app.register(async (scope: App) => {
    await scope.register(multipart, {
      limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 2, parts: MAX_FILES + 2 },
    });
    scope.post(
      '/api/v1/chat/files',
      {
        config: { public: true, rateLimit: uploadLimit },
        schema: {
          tags,
          description:
            'A visitor uploads files as multipart/form-data: first a `token` field (the visitor token), ' +
            "then at most 10 files of 25 MB. Name the returned refs in a message frame's `files`.",
          consumes: ['multipart/form-data'],
          querystring: workspaceQuery,
          response: { 201: z.object({ data: z.array(uploadedSchema) }) },
        },
      },
      async (request, reply) => {
        // The widget posts from the customer's site; a plain form post needs no preflight.
        reply.header('access-control-allow-origin', '*');
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > MAX_FILES * MAX_FILE_BYTES + 1024 * 1024)
          throw new DomainError('payload_too_large', 'The upload is larger than the limits allow');
        const workspace = await enabledWorkspace(request.query.workspace);
        let visitorId: string | undefined;
        // The token comes first, so no byte of a stranger's file reaches storage.
        async function* files(): AsyncGenerator<IncomingFile> {
          try {
            for await (const part of request.parts()) {
              if (part.type === 'field') {
                if (part.fieldname === 'token' && typeof part.value === 'string')
                  visitorId = visitorIdOf(workspace, part.value);
                continue;
              }
              if (!visitorId) {
                part.file.resume();
                throw new DomainError('unauthenticated', 'Send the visitor token before the files');
              }
              yield incomingFile(part);
            }
          } catch (error) {
            throw uploadError(error);
          }
        }
        try {
          const stored = await uploadVisitorFiles(deps, workspace, () => visitorId!, files());
          return reply.status(201).send({ data: stored });
        } catch (error) {
          throw uploadError(error);
        }
      },
    );
  });

  app.get(
    '/api/v1/chat/files/:id',
    {
      config: { public: true, rateLimit: downloadLimit },
      schema: {
        tags,
        description:
          'A file of a chat, through the signed link its message carries. Images show inline; ' +
          'anything a browser could run downloads as application/octet-stream.',
        params: z.object({ id: z.uuid() }),
        querystring: workspaceQuery.extend({ conversation: z.uuid(), sig: z.string().max(100) }),
      },
    },
    async (request, reply) => {
      const workspace = await enabledWorkspace(request.query.workspace);
      const { row, stream } = await openVisitorFile(deps, workspace, {
        attachmentId: request.params.id,
        conversationId: request.query.conversation,
        sig: request.query.sig,
      });
      return reply.headers(downloadHeaders(row)).send(stream);
    },
  );
}
