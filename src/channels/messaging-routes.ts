import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { DomainError } from '../platform/errors.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { type OpenAccount, webhookAccount } from './account-service.ts';
import { genericInbound, parseGeneric } from './generic-adapter.ts';
import {
  listMessagingDeliveries,
  messagingDeliverySchema,
  presentMessagingDelivery,
} from './messaging-deliveries.ts';
import { intakeParsed } from './messaging-intake.ts';
import { hubSignature, sameText, verifyRapportSignature } from './messaging-signatures.ts';
import type { Parsed } from './messaging-types.ts';
import { parseTelegram, telegramUpdate } from './telegram-adapter.ts';
import { parseWhatsapp, whatsappWebhook } from './whatsapp-adapter.ts';

const tags = ['messaging'];
const config = { public: true, rateLimit: { max: 600, timeWindow: '1 minute' } };
const BODY_LIMIT = 1024 * 1024;

const intakeAnswer = z.object({
  data: z.array(
    z.object({ externalId: z.string(), status: z.enum(['stored', 'duplicate']), ticketId: z.string() }),
  ),
});

// The signature covers the bytes as sent: keep them beside the parsed body.
const rawBodies = new WeakMap<FastifyRequest, Buffer>();

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Signed webhooks of the generic channel, WhatsApp Business Cloud API and Telegram Bot API (public),
 * and the delivery state of a ticket's replies on those platforms (agents).
 */
export function registerMessagingRoutes(app: App, deps: Deps) {
  const { db, secretBox, clock } = deps;

  app.get(
    '/api/v1/tickets/:id/messaging-deliveries',
    {
      schema: {
        tags,
        description:
          'Where each public reply of the ticket stands on its messaging platform: pending (retried), sent, ' +
          'delivered, read or failed, as the platform reported it.',
        params: idParams,
        response: { 200: z.object({ data: z.array(messagingDeliverySchema) }) },
      },
    },
    async (request) => ({
      data: (await listMessagingDeliveries(db, actorOf(request), request.params.id)).map(
        presentMessagingDelivery,
      ),
    }),
  );
  const reach = {
    timeoutMs: deps.config.RAPPORT_WEBHOOK_TIMEOUT_MS,
    allowPrivate: deps.config.RAPPORT_ALLOW_PRIVATE_TARGETS,
  };
  const take = async (account: OpenAccount, parsed: Parsed) => ({
    data: await intakeParsed(deps, account, parsed),
  });

  app.get(
    '/api/v1/channels/messaging/whatsapp/:id',
    {
      config,
      schema: {
        tags,
        params: idParams,
        description: "WhatsApp's webhook verification: answers hub.challenge when hub.verify_token matches.",
        querystring: z.object({
          'hub.mode': z.string().optional(),
          'hub.verify_token': z.string().optional(),
          'hub.challenge': z.string().max(200).optional(),
        }),
      },
    },
    async (request, reply) => {
      const account = await webhookAccount(db, secretBox, 'whatsapp', request.params.id);
      const query = request.query;
      const token = query['hub.verify_token'] ?? '';
      if (query['hub.mode'] !== 'subscribe' || !account.verifyToken || !sameText(token, account.verifyToken))
        throw new DomainError('forbidden', 'The verify token does not match');
      return reply.type('text/plain').send(query['hub.challenge'] ?? '');
    },
  );

  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
      (request, body, done) => {
        rawBodies.set(request, body as Buffer);
        try {
          done(null, JSON.parse((body as Buffer).toString('utf8')));
        } catch {
          done(new DomainError('validation_failed', 'The body is not JSON'), undefined);
        }
      },
    );
    const raw = (request: FastifyRequest) => rawBodies.get(request) ?? Buffer.alloc(0);

    scope.post(
      '/api/v1/channels/messaging/generic/:id',
      {
        config,
        schema: {
          tags,
          params: idParams,
          description:
            'Bridges any platform: post its messages and the delivery statuses of our replies here, signed with ' +
            'the account secret: `X-Rapport-Timestamp: <unix seconds>` and `X-Rapport-Signature: sha256=<hex ' +
            'HMAC-SHA256 of "<timestamp>.<raw body>">`. Agent replies are POSTed to the account’s outboundUrl as ' +
            '`{ conversationId, messageId, text, attachments? }` (each file `{ name, contentType, size, ' +
            'contentBase64 }`), signed the same way; answer 2xx (optionally `{ "id": … }`, ' +
            'which later statuses name). Failed deliveries are retried with backoff.',
          body: genericInbound,
          response: { 200: intakeAnswer },
        },
      },
      async (request) => {
        const account = await webhookAccount(db, secretBox, 'generic', request.params.id);
        const signed = verifyRapportSignature(
          account.secret,
          raw(request),
          header(request, 'x-rapport-timestamp'),
          header(request, 'x-rapport-signature'),
          clock.now().getTime(),
        );
        if (!signed) throw new DomainError('forbidden', 'The X-Rapport-Signature does not match');
        return take(account, parseGeneric(account, request.body, reach));
      },
    );

    scope.post(
      '/api/v1/channels/messaging/whatsapp/:id',
      {
        config,
        schema: {
          tags,
          params: idParams,
          description:
            'WhatsApp Business Cloud API webhook (field "messages"): text and media messages, and statuses of ' +
            'our replies; verified with X-Hub-Signature-256 under the app secret.',
          body: whatsappWebhook,
          response: { 200: intakeAnswer },
        },
      },
      async (request) => {
        const account = await webhookAccount(db, secretBox, 'whatsapp', request.params.id);
        const signature = header(request, 'x-hub-signature-256');
        if (!signature || !sameText(hubSignature(account.secret, raw(request)), signature))
          throw new DomainError('forbidden', 'The X-Hub-Signature-256 does not match');
        return take(account, parseWhatsapp(account, request.body, reach));
      },
    );

    scope.post(
      '/api/v1/channels/messaging/telegram/:id',
      {
        config,
        schema: {
          tags,
          params: idParams,
          description:
            'Telegram Bot API webhook (setWebhook with secret_token = the account secret): messages with text, ' +
            'photos and documents; checked against X-Telegram-Bot-Api-Secret-Token.',
          body: telegramUpdate,
          response: { 200: intakeAnswer },
        },
      },
      async (request) => {
        const account = await webhookAccount(db, secretBox, 'telegram', request.params.id);
        const token = header(request, 'x-telegram-bot-api-secret-token');
        if (!token || !sameText(token, account.secret))
          throw new DomainError('forbidden', 'The X-Telegram-Bot-Api-Secret-Token does not match');
        return take(account, parseTelegram(account, request.body, reach));
      },
    );
  });
}
