import { z } from 'zod';
import type { Actor } from '../platform/auth/actor.ts';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import {
  type CannedResponse,
  cannedPermissions,
  createCanned,
  deleteCanned,
  getCanned,
  listCanned,
  renderCanned,
  updateCanned,
} from './canned-service.ts';

const tags = ['canned responses'];
// Light agents write internal notes, so they keep personal responses too; the service guards shared ones.
const config = { minRole: 'light' as const };

const title = z.string().trim().min(1).max(200);
const body = z.string().min(1).max(50_000);
const shortcut = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}_.-]{1,50}$/u, 'must be 1-50 letters, digits, dots, dashes or underscores')
  .nullable();

const cannedSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  shortcut: z.string().nullable(),
  shared: z.boolean(),
  ownerId: z.string().nullable(),
  usageCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  permissions: z.object({ update: z.boolean(), delete: z.boolean() }),
});

const present = (row: CannedResponse, actor: Actor) => ({
  id: row.id,
  title: row.title,
  body: row.body,
  shortcut: row.shortcut,
  shared: row.ownerId === null,
  ownerId: row.ownerId,
  usageCount: row.usageCount,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  permissions: cannedPermissions(row, actor),
});

export function registerCannedRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/canned-responses',
    {
      schema: {
        tags,
        description: "The workspace's shared responses and the caller's own, by title.",
        querystring: z.strictObject({ q: z.string().max(200).optional() }),
        response: { 200: z.object({ data: z.array(cannedSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return { data: (await listCanned(db, actor, request.query)).map((row) => present(row, actor)) };
    },
  );

  app.post(
    '/api/v1/canned-responses',
    {
      config,
      schema: {
        tags,
        description: 'Personal by default; `shared: true` (admins only) makes it the whole workspace’s.',
        body: z.strictObject({ title, body, shortcut: shortcut.optional(), shared: z.boolean().optional() }),
        response: { 201: cannedSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return reply.status(201).send(present(await createCanned(db, actor, request.body), actor));
    },
  );

  app.get(
    '/api/v1/canned-responses/:id',
    { schema: { tags, params: idParams, response: { 200: cannedSchema } } },
    async (request) => {
      const actor = actorOf(request);
      return present(await getCanned(db, actor, request.params.id), actor);
    },
  );

  app.patch(
    '/api/v1/canned-responses/:id',
    {
      config,
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({
          title: title.optional(),
          body: body.optional(),
          shortcut: shortcut.optional(),
        }),
        response: { 200: cannedSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return present(await updateCanned(db, actor, request.params.id, request.body), actor);
    },
  );

  app.delete(
    '/api/v1/canned-responses/:id',
    { config, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteCanned(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/canned-responses/:id/render',
    {
      config,
      schema: {
        tags,
        description:
          'Fills the placeholders ({{customer.first_name}}, {{ticket.number}}, {{agent.name}} …) for a ' +
          'ticket. Unknown or empty ones stay in the text and are listed in `missing`.',
        params: idParams,
        body: z.strictObject({ ticketId: z.uuid() }),
        response: { 200: z.object({ body: z.string(), missing: z.array(z.string()) }) },
      },
    },
    async (request) => renderCanned(db, actorOf(request), request.params.id, request.body),
  );
}
