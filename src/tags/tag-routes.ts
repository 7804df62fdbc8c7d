import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { createTag, deleteTag, listTags, type Tag, updateTag } from './tag-service.ts';

const tags = ['tags'];
const tagSchema = z.object({ name: z.string(), color: z.string().nullable(), createdAt: z.string() });
const present = (tag: Tag) => ({ name: tag.name, color: tag.color, createdAt: tag.createdAt.toISOString() });
const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #3366ff')
  .nullable()
  .optional();
const nameParams = z.strictObject({ name: z.string().min(1).max(100) });

export function registerTagRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/tags',
    {
      schema: {
        tags,
        querystring: z.strictObject({ prefix: z.string().max(100).optional() }),
        response: { 200: z.object({ data: z.array(tagSchema) }) },
      },
    },
    async (request) => ({ data: (await listTags(db, actorOf(request), request.query.prefix)).map(present) }),
  );
  app.post(
    '/api/v1/tags',
    {
      config: { minRole: 'admin' },
      schema: {
        tags,
        body: z.strictObject({ name: z.string().trim().min(1).max(100), color }),
        response: { 201: tagSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(present(await createTag(db, actorOf(request), request.body))),
  );
  app.patch(
    '/api/v1/tags/:name',
    {
      config: { minRole: 'admin' },
      schema: {
        tags,
        params: nameParams,
        body: z.strictObject({ name: z.string().trim().min(1).max(100).optional(), color }),
        response: { 200: tagSchema },
      },
    },
    async (request) => present(await updateTag(db, actorOf(request), request.params.name, request.body)),
  );
  app.delete(
    '/api/v1/tags/:name',
    { config: { minRole: 'admin' }, schema: { tags, params: nameParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteTag(db, actorOf(request), request.params.name);
      return reply.status(204).send(null);
    },
  );
}
