import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import {
  openedSchema,
  presentRecurring,
  recurringBody,
  recurringPatch,
  recurringSchema,
} from './recurring-schemas.ts';
import {
  createRecurringTicket,
  deleteRecurringTicket,
  getRecurringTicket,
  listRecurringTickets,
  RECURRING_JOB,
  runRecurringTicketNow,
  updateRecurringTicket,
} from './recurring-service.ts';

const tags = ['recurring-tickets'];
const config = { minRole: 'admin' as const };
const base = '/api/v1/admin/recurring-tickets';

/** Admins manage tickets that open themselves on a calendar rule, and open one now. */
export async function registerRecurringTicketRoutes(app: App, deps: Deps) {
  const { db, queue, clock } = deps;
  // Saving a rule queues its next occurrence in the same transaction.
  await queue.declare([RECURRING_JOB]);

  app.get(
    base,
    { config, schema: { tags, response: { 200: z.object({ data: z.array(recurringSchema) }) } } },
    async (request) => ({ data: (await listRecurringTickets(db, actorOf(request))).map(presentRecurring) }),
  );
  app.get(
    `${base}/:id`,
    { config, schema: { tags, params: idParams, response: { 200: recurringSchema } } },
    async (request) => presentRecurring(await getRecurringTicket(db, actorOf(request), request.params.id)),
  );
  app.post(
    base,
    { config, schema: { tags, body: recurringBody, response: { 201: recurringSchema } } },
    async (request, reply) => {
      const row = await createRecurringTicket(db, queue, actorOf(request), request.body, clock.now());
      return reply.status(201).send(presentRecurring(row));
    },
  );
  app.patch(
    `${base}/:id`,
    {
      config,
      schema: {
        tags,
        description: 'A new rule, or switching it back on, plans the next ticket from now.',
        params: idParams,
        body: recurringPatch,
        response: { 200: recurringSchema },
      },
    },
    async (request) =>
      presentRecurring(
        await updateRecurringTicket(
          db,
          queue,
          actorOf(request),
          request.params.id,
          request.body,
          clock.now(),
        ),
      ),
  );
  app.delete(
    `${base}/:id`,
    { config, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteRecurringTicket(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    `${base}/:id/run`,
    {
      config,
      schema: {
        tags,
        description: 'Opens the ticket now, switched off or not; the schedule stays as it was.',
        params: idParams,
        response: { 201: openedSchema },
      },
    },
    async (request, reply) => {
      const ticket = await runRecurringTicketNow(db, actorOf(request), request.params.id, clock.now());
      return reply
        .status(201)
        .send({ ticket: { id: ticket.id, number: ticket.number, subject: ticket.subject } });
    },
  );
}
