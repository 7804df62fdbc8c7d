import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { getTicket } from '../tickets/ticket-queries.ts';
import { presentTicket, ticketSchema } from '../tickets/ticket-schemas.ts';
import {
  applyMacro,
  createMacro,
  deleteMacro,
  listMacros,
  type Macro,
  updateMacro,
} from './macro-service.ts';
import { actionSchema } from './trigger-rules.ts';

const tags = ['macros'];
const admin = { minRole: 'admin' as const };

const macroBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).optional(),
  actions: z.array(actionSchema).min(1).max(20),
});
const macroSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  actions: z.array(z.record(z.string(), z.unknown())),
});
const applyParams = z.strictObject({ id: z.uuid(), macroId: z.uuid() });

const present = (row: Macro) => ({
  id: row.id,
  name: row.name,
  description: row.description,
  actions: row.actions,
});

/** Admins keep the workspace's macros; agents list them and apply one to a ticket in one call. */
export function registerMacroRoutes(app: App, deps: Deps) {
  const { db } = deps;
  app.get(
    '/api/v1/macros',
    { schema: { tags, response: { 200: z.object({ data: z.array(macroSchema) }) } } },
    async (request) => ({ data: (await listMacros(db, actorOf(request))).map(present) }),
  );
  app.post(
    '/api/v1/macros',
    { config: admin, schema: { tags, body: macroBody, response: { 201: macroSchema } } },
    async (request, reply) =>
      reply.status(201).send(present(await createMacro(db, actorOf(request), request.body))),
  );
  app.patch(
    '/api/v1/macros/:id',
    {
      config: admin,
      schema: { tags, params: idParams, body: macroBody.partial(), response: { 200: macroSchema } },
    },
    async (request) => present(await updateMacro(db, actorOf(request), request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/macros/:id',
    { config: admin, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteMacro(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/tickets/:id/macros/:macroId',
    {
      schema: {
        tags,
        description: "Applies the macro's actions to the ticket as the agent; answers with the ticket after.",
        params: applyParams,
        response: { 200: ticketSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await applyMacro(db, actor, request.params.macroId, request.params.id);
      return presentTicket(await getTicket(db, actor, request.params.id), actor);
    },
  );
}
