import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import {
  createPolicy,
  createSchedule,
  deletePolicy,
  deleteSchedule,
  listPolicies,
  listSchedules,
  listSlaClocks,
  ticketSlaState,
  updatePolicy,
  updateSchedule,
} from './sla-admin-service.ts';
import {
  policyBody,
  policyPatch,
  policySchema,
  presentPolicy,
  presentSchedule,
  presentTicketSla,
  scheduleBody,
  schedulePatch,
  scheduleSchema,
  slaClockSchema,
  slaListQuery,
  ticketSlaSchema,
} from './sla-schemas.ts';

const tags = ['slas'];
const config = { minRole: 'admin' as const };
const list = <T extends z.ZodType>(item: T) => ({ 200: z.object({ data: z.array(item) }) });

/** Business-hours calendars and SLA policies (admins), and each ticket's SLA clocks (everyone). */
export async function registerSlaRoutes(app: App, deps: Deps) {
  const { db } = deps;
  // The SLA engine queues its checks inside the relay's transaction.
  await deps.queue.declare(['sla.check']);

  app.get(
    '/api/v1/admin/schedules',
    { config, schema: { tags, response: list(scheduleSchema) } },
    async (request) => ({
      data: (await listSchedules(db, actorOf(request))).map(presentSchedule),
    }),
  );
  app.post(
    '/api/v1/admin/schedules',
    { config, schema: { tags, body: scheduleBody, response: { 201: scheduleSchema } } },
    async (request, reply) =>
      reply.status(201).send(presentSchedule(await createSchedule(db, actorOf(request), request.body))),
  );
  app.patch(
    '/api/v1/admin/schedules/:id',
    { config, schema: { tags, params: idParams, body: schedulePatch, response: { 200: scheduleSchema } } },
    async (request) =>
      presentSchedule(await updateSchedule(db, actorOf(request), request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/admin/schedules/:id',
    { config, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteSchedule(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/admin/sla-policies',
    { config, schema: { tags, response: list(policySchema) } },
    async (request) => ({
      data: (await listPolicies(db, actorOf(request))).map(presentPolicy),
    }),
  );
  app.post(
    '/api/v1/admin/sla-policies',
    {
      config,
      schema: {
        tags,
        description: 'The first active policy by position whose conditions match a ticket sets its targets.',
        body: policyBody,
        response: { 201: policySchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentPolicy(await createPolicy(db, actorOf(request), request.body))),
  );
  app.patch(
    '/api/v1/admin/sla-policies/:id',
    { config, schema: { tags, params: idParams, body: policyPatch, response: { 200: policySchema } } },
    async (request) =>
      presentPolicy(await updatePolicy(db, actorOf(request), request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/admin/sla-policies/:id',
    { config, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deletePolicy(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/slas',
    {
      schema: {
        tags,
        description: 'Open SLA clocks that are breached, or due within `withinMinutes` (breaching soon).',
        querystring: slaListQuery,
        response: list(slaClockSchema),
      },
    },
    async (request) => ({
      data: (await listSlaClocks(db, actorOf(request), request.query, deps.clock.now())).map((row) => ({
        ...row,
        dueAt: row.dueAt?.toISOString() ?? null,
        breachedAt: row.breachedAt?.toISOString() ?? null,
      })),
    }),
  );

  app.get(
    '/api/v1/tickets/:id/sla',
    { schema: { tags, params: idParams, response: list(ticketSlaSchema) } },
    async (request) => ({
      data: (await ticketSlaState(db, actorOf(request), request.params.id, deps.clock.now())).map(
        presentTicketSla,
      ),
    }),
  );
}
