import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { DomainError } from '../platform/errors.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { webhookAccount } from './account-service.ts';
import { getCall, listCalls, logCall } from './call-service.ts';
import { listCallbacks, requestCallback, setCallbackStatus } from './callback-service.ts';
import {
  callbackBody,
  callbackSchema,
  callSchema,
  logCallBody,
  presentCall,
  presentCallback,
} from './phone-schemas.ts';
import { intakeTwilioVoice, verifyTwilioSignature } from './twilio-voice.ts';

const tags = ['phone'];
// Twilio sends a few callbacks per call; a flood from elsewhere is cut off early.
const webhookLimit = { max: 600, timeWindow: '1 minute' };

/** Call logs and callback requests (API and console), and Twilio's voice callbacks (public, signed). */
export function registerPhoneRoutes(app: App, deps: Deps) {
  const { db } = deps;

  app.post(
    '/api/v1/calls',
    {
      schema: {
        tags,
        description:
          'Logs a call. The customer is `customerId`, else whoever has this number (created if nobody). ' +
          'The call becomes a message on `ticketId`, or on a new phone ticket.',
        body: logCallBody,
        response: { 201: callSchema },
      },
    },
    async (request, reply) => {
      const { startedAt, ...rest } = request.body;
      const call = await logCall(db, actorOf(request), {
        ...rest,
        startedAt: startedAt ? new Date(startedAt) : undefined,
      });
      return reply.status(201).send(presentCall(call));
    },
  );
  app.get(
    '/api/v1/calls',
    {
      schema: {
        tags,
        querystring: z.strictObject({
          customerId: z.uuid().optional(),
          ticketId: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(100).default(50),
        }),
        response: { 200: z.object({ data: z.array(callSchema) }) },
      },
    },
    async (request) => ({ data: (await listCalls(db, actorOf(request), request.query)).map(presentCall) }),
  );
  app.get(
    '/api/v1/calls/:id',
    { schema: { tags, params: idParams, response: { 200: callSchema } } },
    async (request) => presentCall(await getCall(db, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/callbacks',
    {
      schema: {
        tags,
        description:
          'Queues a callback request: the customer (found by phone, or created) gets a phone ticket tagged ' +
          '"callback", so routing and SLAs apply to it.',
        body: callbackBody,
        response: { 201: callbackSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentCallback(await requestCallback(db, actorOf(request), request.body))),
  );
  app.get(
    '/api/v1/callbacks',
    {
      schema: {
        tags,
        querystring: z.strictObject({
          status: z.enum(['pending', 'done', 'cancelled']).default('pending'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ data: z.array(callbackSchema) }) },
      },
    },
    async (request) => ({
      data: (await listCallbacks(db, actorOf(request), request.query.status, request.query.limit)).map(
        presentCallback,
      ),
    }),
  );
  app.patch(
    '/api/v1/callbacks/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({ status: z.enum(['pending', 'done', 'cancelled']) }),
        response: { 200: callbackSchema },
      },
    },
    async (request) =>
      presentCallback(await setCallbackStatus(db, actorOf(request), request.params.id, request.body.status)),
  );

  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => done(null, new URLSearchParams(body as string)),
    );
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/channels/twilio/:id/voice',
      {
        config: { public: true, rateLimit: webhookLimit },
        schema: {
          tags,
          params: idParams,
          description:
            "Twilio's Voice status and recording callbacks (application/x-www-form-urlencoded, signed with " +
            'X-Twilio-Signature under the account auth token). Point StatusCallback and ' +
            'RecordingStatusCallback of a Twilio number here; each call becomes a call log and a message.',
          consumes: ['application/x-www-form-urlencoded'],
        },
      },
      async (request, reply) => {
        if (!(request.body instanceof URLSearchParams))
          throw new DomainError('unsupported_media_type', 'Send the callback as a form');
        const account = await webhookAccount(db, deps.secretBox, 'twilio', request.params.id);
        // Twilio signs the URL it called: the public URL when one is configured, else what we were asked.
        const base =
          deps.config.RAPPORT_PUBLIC_URL?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;
        const signature = request.headers['x-twilio-signature'];
        if (
          !verifyTwilioSignature(
            account.secret,
            `${base}${request.url}`,
            request.body,
            typeof signature === 'string' ? signature : undefined,
          )
        )
          throw new DomainError('forbidden', 'The X-Twilio-Signature does not match');
        await intakeTwilioVoice(db, account, request.body);
        return reply.status(204).send();
      },
    );
  });
}
