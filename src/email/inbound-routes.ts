import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { DomainError } from '../platform/errors.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import {
  createSupportAddress,
  deleteSupportAddress,
  listSupportAddresses,
  type SupportAddress,
  updateSupportAddress,
} from './address-service.ts';
import { readInboundCounts } from './inbound-counters.ts';
import { intakeEmail } from './inbound-intake.ts';
import {
  deleteQuarantined,
  listQuarantine,
  quarantinedRaw,
  releaseQuarantined,
} from './quarantine-service.ts';

const tags = ['email'];
const config = { minRole: 'admin' as const };
const RAW_TYPES = ['message/rfc822', 'application/octet-stream', 'text/plain'];

const addressSchema = z.object({
  id: z.string(),
  address: z.string(),
  displayName: z.string(),
  teamId: z.string().nullable(),
  isDefault: z.boolean(),
  createdAt: z.string(),
});
const addressBody = z
  .object({
    address: z.string().max(254),
    displayName: z.string().max(200).optional(),
    teamId: z.uuid().nullable().optional(),
    isDefault: z.boolean().optional(),
  })
  .strict();
const present = (row: SupportAddress) => ({
  id: row.id,
  address: row.address,
  displayName: row.displayName,
  teamId: row.teamId,
  isDefault: row.isDefault,
  createdAt: row.createdAt.toISOString(),
});

const intakeResultSchema = z.object({
  status: z.enum(['stored', 'duplicate', 'bounce', 'quarantined']),
  ticketId: z.string().nullable(),
  messageId: z.string().nullable(),
  reason: z.string().nullable(),
});
const quarantinedSchema = z.object({
  id: z.string(),
  source: z.string(),
  fromAddress: z.string().nullable(),
  recipients: z.array(z.string()),
  subject: z.string().nullable(),
  size: z.number(),
  reason: z.string().nullable(),
  createdAt: z.string(),
});

/** Support addresses, the raw-MIME inbound webhook, the pipeline's tallies and its quarantine. */
export function registerInboundEmailRoutes(app: App, deps: Deps) {
  const { db } = deps;

  app.get(
    '/api/v1/channels/email/addresses',
    { config, schema: { tags, response: { 200: z.object({ data: z.array(addressSchema) }) } } },
    async (request) => ({ data: (await listSupportAddresses(db, actorOf(request))).map(present) }),
  );
  app.post(
    '/api/v1/channels/email/addresses',
    { config, schema: { tags, body: addressBody, response: { 201: addressSchema } } },
    async (request, reply) =>
      reply.status(201).send(present(await createSupportAddress(db, actorOf(request), request.body))),
  );
  app.patch(
    '/api/v1/channels/email/addresses/:id',
    {
      config,
      schema: { tags, params: idParams, body: addressBody.partial(), response: { 200: addressSchema } },
    },
    async (request) =>
      present(await updateSupportAddress(db, actorOf(request), request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/channels/email/addresses/:id',
    { config, schema: { tags, params: idParams } },
    async (request, reply) => {
      await deleteSupportAddress(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/channels/email/stats',
    {
      config,
      schema: {
        tags,
        response: {
          200: z.object({
            received: z.number(),
            stored: z.number(),
            duplicates: z.number(),
            quarantined: z.number(),
          }),
        },
      },
    },
    async (request) => readInboundCounts(db, actorOf(request).workspaceId),
  );

  app.get(
    '/api/v1/channels/email/quarantine',
    { config, schema: { tags, response: { 200: z.object({ data: z.array(quarantinedSchema) }) } } },
    async (request) => ({
      data: (await listQuarantine(db, actorOf(request))).map((row) => ({
        ...row,
        createdAt: row.createdAt.toISOString(),
      })),
    }),
  );
  app.get(
    '/api/v1/channels/email/quarantine/:id/raw',
    { config, schema: { tags, params: idParams, description: 'The message exactly as it arrived.' } },
    async (request, reply) => {
      const raw = await quarantinedRaw(db, actorOf(request), request.params.id);
      return reply
        .header('content-type', 'message/rfc822')
        .header('content-disposition', `attachment; filename="${request.params.id}.eml"`)
        .send(raw);
    },
  );
  app.post(
    '/api/v1/channels/email/quarantine/:id/release',
    {
      config,
      schema: {
        tags,
        params: idParams,
        description:
          'Takes a held message in again, past the sender limit; it leaves the quarantine when stored.',
        response: { 200: intakeResultSchema },
      },
    },
    async (request) => presentIntake(await releaseQuarantined(deps, actorOf(request), request.params.id)),
  );
  app.delete(
    '/api/v1/channels/email/quarantine/:id',
    { config, schema: { tags, params: idParams } },
    async (request, reply) => {
      await deleteQuarantined(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.register(async (scope) => {
    // Raw MIME up to the SMTP size limit; JSON routes keep the 1 MB limit.
    scope.addContentTypeParser(
      RAW_TYPES,
      { parseAs: 'buffer', bodyLimit: deps.config.RAPPORT_SMTP_MAX_BYTES },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/api/v1/channels/email/inbound',
      {
        config,
        bodyLimit: deps.config.RAPPORT_SMTP_MAX_BYTES,
        schema: {
          tags,
          description:
            'Takes one raw RFC 5322 message (Content-Type message/rfc822) through the same pipeline as the ' +
            'SMTP server, for mail providers that forward inbound mail by HTTP. Answers once it is stored.',
          consumes: RAW_TYPES,
          response: { 200: intakeResultSchema },
        },
      },
      async (request) => {
        if (!Buffer.isBuffer(request.body) || request.body.length === 0)
          throw new DomainError('unsupported_media_type', 'Send the raw message as message/rfc822');
        const actor = actorOf(request);
        return presentIntake(
          await intakeEmail(deps, { raw: request.body, source: 'api', workspaceId: actor.workspaceId }),
        );
      },
    );
  });
}

function presentIntake(result: Awaited<ReturnType<typeof intakeEmail>>) {
  return {
    status: result.status,
    ticketId: 'ticketId' in result ? result.ticketId : null,
    messageId: 'messageId' in result ? result.messageId : null,
    reason: 'reason' in result ? result.reason : null,
  };
}
