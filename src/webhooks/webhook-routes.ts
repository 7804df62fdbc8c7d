import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import {
  createdWebhookSchema,
  createWebhookBody,
  deliveryDetailSchema,
  deliveryParams,
  deliverySchema,
  listDeliveriesQuery,
  presentDelivery,
  presentDeliveryDetail,
  presentWebhook,
  updateWebhookBody,
  webhookSchema,
} from './webhook-schemas.ts';
import {
  createWebhook,
  deleteWebhook,
  getDelivery,
  getWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  updateWebhook,
} from './webhook-service.ts';

const tags = ['webhooks'];
const config = { minRole: 'admin' as const };

export function registerWebhookRoutes(app: App, deps: Deps) {
  const { db, clock } = deps;

  app.get(
    '/api/v1/webhooks',
    { config, schema: { tags, response: { 200: z.object({ data: z.array(webhookSchema) }) } } },
    async (request) => ({ data: (await listWebhooks(db, actorOf(request))).map(presentWebhook) }),
  );

  app.post(
    '/api/v1/webhooks',
    {
      config,
      schema: {
        tags,
        description:
          'Subscribes a URL to events. Each delivery is a JSON POST signed with x-rapport-signature: ' +
          'sha256=<hex HMAC-SHA256 of "<x-rapport-timestamp>.<body>" keyed with the secret>.',
        body: createWebhookBody,
        response: { 201: createdWebhookSchema },
      },
    },
    async (request, reply) => {
      const { webhook, secret } = await createWebhook(deps, actorOf(request), request.body);
      return reply.status(201).send({ ...presentWebhook(webhook), secret });
    },
  );

  app.get(
    '/api/v1/webhooks/:id',
    { config, schema: { tags, params: idParams, response: { 200: webhookSchema } } },
    async (request) => presentWebhook(await getWebhook(db, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/webhooks/:id',
    { config, schema: { tags, params: idParams, body: updateWebhookBody, response: { 200: webhookSchema } } },
    async (request) =>
      presentWebhook(await updateWebhook(deps, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/webhooks/:id',
    { config, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteWebhook(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      config,
      schema: {
        tags,
        params: idParams,
        querystring: listDeliveriesQuery,
        response: { 200: z.object({ data: z.array(deliverySchema) }) },
      },
    },
    async (request) => ({
      data: (await listDeliveries(db, actorOf(request), request.params.id, request.query)).map(
        presentDelivery,
      ),
    }),
  );

  app.get(
    '/api/v1/webhooks/:id/deliveries/:deliveryId',
    { config, schema: { tags, params: deliveryParams, response: { 200: deliveryDetailSchema } } },
    async (request) =>
      presentDeliveryDetail(
        await getDelivery(db, actorOf(request), request.params.id, request.params.deliveryId),
      ),
  );

  app.post(
    '/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config,
      schema: {
        tags,
        description: 'Queues the delivery to be sent again now, with a fresh set of retries.',
        params: deliveryParams,
        response: { 200: deliverySchema },
      },
    },
    async (request) =>
      presentDelivery(
        await redeliver(db, actorOf(request), request.params.id, request.params.deliveryId, clock.now()),
      ),
  );
}
