import { z } from 'zod';
import type { Actor } from '../platform/auth/actor.ts';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { ticketFilterQuery } from '../tickets/ticket-schemas.ts';
import {
  countView,
  createView,
  deleteView,
  getView,
  listViews,
  type SavedView,
  updateView,
  viewPermissions,
} from './view-service.ts';

const tags = ['views'];
// Views are a personal preference, so light agents keep their own; sharing needs an admin.
const config = { minRole: 'light' as const };

const name = z.string().trim().min(1).max(100);
const position = z.number().int().min(0).max(10_000);

const viewSchema = z.object({
  id: z.string(),
  name: z.string(),
  filters: z
    .record(z.string(), z.string())
    .describe('The GET /api/v1/tickets query parameters this view stands for'),
  shared: z.boolean(),
  ownerId: z.string().nullable(),
  position: z.number(),
  count: z.number(),
  countCapped: z.boolean().describe('True when more tickets match than were counted (count is the cap)'),
  createdAt: z.string(),
  permissions: z.object({ update: z.boolean(), delete: z.boolean() }),
});

const present = (view: SavedView, actor: Actor, counted: { count: number; capped: boolean }) => ({
  id: view.id,
  name: view.name,
  filters: Object.fromEntries(Object.entries(view.filters).map(([key, value]) => [key, String(value)])),
  shared: view.shared,
  ownerId: view.ownerId,
  position: view.position,
  count: counted.count,
  countCapped: counted.capped,
  createdAt: view.createdAt.toISOString(),
  permissions: viewPermissions(view, actor),
});

export function registerViewRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/views',
    {
      schema: {
        tags,
        description: "The workspace's shared views and the caller's own, each with a live ticket count.",
        response: { 200: z.object({ data: z.array(viewSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const views = await listViews(db, actor);
      return { data: views.map(({ view, ...counted }) => present(view, actor, counted)) };
    },
  );

  app.post(
    '/api/v1/views',
    {
      config,
      schema: {
        tags,
        description: 'Personal by default; `shared: true` (admins only) shows it to the whole workspace.',
        body: z.strictObject({
          name,
          filters: ticketFilterQuery,
          shared: z.boolean().optional(),
          position: position.optional(),
        }),
        response: { 201: viewSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const view = await createView(db, actor, request.body);
      return reply.status(201).send(present(view, actor, await countView(db, actor, view)));
    },
  );

  app.get(
    '/api/v1/views/:id',
    { schema: { tags, params: idParams, response: { 200: viewSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const view = await getView(db, actor, request.params.id);
      return present(view, actor, await countView(db, actor, view));
    },
  );

  app.patch(
    '/api/v1/views/:id',
    {
      config,
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({
          name: name.optional(),
          filters: ticketFilterQuery.optional(),
          shared: z.boolean().optional(),
          position: position.optional(),
        }),
        response: { 200: viewSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const view = await updateView(db, actor, request.params.id, request.body);
      return present(view, actor, await countView(db, actor, view));
    },
  );

  app.delete(
    '/api/v1/views/:id',
    { config, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteView(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
