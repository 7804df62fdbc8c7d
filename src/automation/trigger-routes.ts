import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { actionSchema, conditionsSchema, triggerEvents } from './trigger-rules.ts';
import {
  createTrigger,
  deleteTrigger,
  dryRunTrigger,
  listTriggers,
  reorderTriggers,
  type Trigger,
  updateTrigger,
} from './trigger-service.ts';

const tags = ['triggers'];
const config = { minRole: 'admin' as const };

const triggerBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  position: z.number().int().min(0).max(10_000).optional(),
  active: z.boolean().optional(),
  events: z.array(z.enum(triggerEvents)).min(1),
  conditions: conditionsSchema.optional(),
  actions: z.array(actionSchema).min(1).max(20),
});
const triggerSchema = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number(),
  active: z.boolean(),
  events: z.array(z.string()),
  conditions: z.unknown(),
  actions: z.unknown(),
});
const orderBody = z.strictObject({ ids: z.array(z.uuid()).max(1000) });
const dryRunQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) });
const dryRunSchema = z.object({
  checked: z.number(),
  matches: z.array(
    z.object({
      ticketId: z.string(),
      number: z.number(),
      changes: z.record(z.string(), z.unknown()),
      effects: z.array(z.string()),
    }),
  ),
});

const present = (row: Trigger) => ({
  id: row.id,
  name: row.name,
  position: row.position,
  active: row.active,
  events: row.events,
  conditions: row.conditions,
  actions: row.actions,
});

/** Admins manage triggers (event → conditions → actions) and try one on recent tickets first. */
export function registerTriggerRoutes(app: App, deps: Deps) {
  const { db } = deps;
  app.get(
    '/api/v1/admin/triggers',
    { config, schema: { tags, response: { 200: z.object({ data: z.array(triggerSchema) }) } } },
    async (request) => ({ data: (await listTriggers(db, actorOf(request))).map(present) }),
  );
  app.post(
    '/api/v1/admin/triggers',
    { config, schema: { tags, body: triggerBody, response: { 201: triggerSchema } } },
    async (request, reply) =>
      reply.status(201).send(present(await createTrigger(db, actorOf(request), request.body))),
  );
  app.put(
    '/api/v1/admin/triggers/order',
    {
      config,
      schema: {
        tags,
        description: 'Sets the evaluation order: `ids` lists every trigger once, first to run first.',
        body: orderBody,
        response: { 200: z.object({ data: z.array(triggerSchema) }) },
      },
    },
    async (request) => ({
      data: (await reorderTriggers(db, actorOf(request), request.body.ids)).map(present),
    }),
  );
  app.patch(
    '/api/v1/admin/triggers/:id',
    {
      config,
      schema: { tags, params: idParams, body: triggerBody.partial(), response: { 200: triggerSchema } },
    },
    async (request) => present(await updateTrigger(db, actorOf(request), request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/admin/triggers/:id',
    { config, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteTrigger(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/admin/triggers/:id/dry-run',
    {
      config,
      schema: {
        tags,
        description:
          'Which of the last `limit` tickets the trigger matches now, and what it would change; writes nothing.',
        params: idParams,
        querystring: dryRunQuery,
        response: { 200: dryRunSchema },
      },
    },
    async (request) => dryRunTrigger(db, actorOf(request), request.params.id, request.query.limit),
  );
}
