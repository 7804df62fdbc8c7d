import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { deleteRelaySettings, getRelaySettings, putRelaySettings } from './outbound-relay.ts';
import {
  deliverySchema,
  notificationPrefsSchema,
  presentDelivery,
  presentRelay,
  relayBody,
  relaySchema,
  relayTestSchema,
} from './outbound-schemas.ts';
import {
  getNotificationPrefs,
  listTicketDeliveries,
  retryDelivery,
  setNotificationPrefs,
  testRelay,
} from './outbound-service.ts';

const tags = ['email'];
const admin = { minRole: 'admin' as const };

export function registerOutboundEmailRoutes(app: App, deps: Deps) {
  const { db, clock } = deps;

  app.get(
    '/api/v1/channels/email/relay',
    { config: admin, schema: { tags, response: { 200: relaySchema } } },
    async (request) => presentRelay(await getRelaySettings(deps, actorOf(request))),
  );

  app.put(
    '/api/v1/channels/email/relay',
    {
      config: admin,
      schema: {
        tags,
        description:
          "Sets the SMTP relay the workspace's email goes out through. The password is stored encrypted and never returned.",
        body: relayBody,
        response: { 200: relaySchema },
      },
    },
    async (request) => presentRelay(await putRelaySettings(deps, actorOf(request), request.body)),
  );

  app.delete(
    '/api/v1/channels/email/relay',
    { config: admin, schema: { tags, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteRelaySettings(deps, actorOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/channels/email/relay/test',
    {
      config: { ...admin, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags,
        description:
          "Sends a test message to the caller's own address through the relay in use, and reports its answer.",
        response: { 200: relayTestSchema },
      },
    },
    async (request) => testRelay(deps, actorOf(request)),
  );

  app.get(
    '/api/v1/tickets/:id/email-deliveries',
    {
      schema: {
        tags,
        description:
          "The ticket's outbound emails (replies and agents' notifications) and their delivery state.",
        params: idParams,
        response: { 200: z.object({ data: z.array(deliverySchema) }) },
      },
    },
    async (request) => ({
      data: (await listTicketDeliveries(db, actorOf(request), request.params.id)).map(presentDelivery),
    }),
  );

  app.post(
    '/api/v1/channels/email/deliveries/:id/retry',
    {
      config: admin,
      schema: {
        tags,
        description: 'Queues a failed email again, with a fresh set of retries and the same Message-ID.',
        params: idParams,
        response: { 200: deliverySchema },
      },
    },
    async (request) =>
      presentDelivery(await retryDelivery(db, actorOf(request), request.params.id, clock.now())),
  );

  app.get(
    '/api/v1/me/email-notifications',
    { schema: { tags, response: { 200: notificationPrefsSchema } } },
    async (request) => getNotificationPrefs(db, actorOf(request)),
  );

  app.put(
    '/api/v1/me/email-notifications',
    {
      config: { minRole: 'light' },
      schema: { tags, body: notificationPrefsSchema, response: { 200: notificationPrefsSchema } },
    },
    async (request) => setNotificationPrefs(db, actorOf(request), request.body),
  );
}
