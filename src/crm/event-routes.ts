import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { eventBody, eventSchema } from './event-schemas.ts';
import { presentEvent, recordBusinessEvent } from './event-service.ts';

const tags = ['customers'];

export function registerEventRoutes(app: App, { db, clock }: Deps) {
  app.post(
    '/api/v1/events',
    {
      schema: {
        tags,
        description:
          'Records a business event (order.placed, shipment.*, payment.*, or any other type with free-form data) for the customer it names, creating the customer when unknown. Idempotent by `id`: 201 when stored, 200 when that id was stored before.',
        body: eventBody,
        response: { 200: eventSchema, 201: eventSchema },
      },
    },
    async (request, reply) => {
      const { event, created } = await recordBusinessEvent(db, actorOf(request), request.body, clock.now());
      return reply.status(created ? 201 : 200).send(presentEvent(event));
    },
  );
}
