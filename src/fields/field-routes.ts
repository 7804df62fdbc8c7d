import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { createField, deleteField, type FieldDefinition, listFields, updateField } from './field-service.ts';

const tags = ['custom fields'];
const entities = ['ticket', 'customer'] as const;
const types = ['text', 'number', 'boolean', 'date', 'select'] as const;
const fieldSchema = z.object({
  id: z.string(),
  entity: z.enum(entities),
  key: z.string(),
  label: z.string(),
  type: z.enum(types),
  options: z.array(z.string()),
  required: z.boolean(),
  createdAt: z.string(),
});
const present = ({ workspaceId: _, ...field }: FieldDefinition) => ({
  ...field,
  createdAt: field.createdAt.toISOString(),
});
const options = z.array(z.string().trim().min(1).max(200)).max(500).optional();

export function registerFieldRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/fields',
    {
      schema: {
        tags,
        querystring: z.strictObject({ entity: z.enum(entities).optional() }),
        response: { 200: z.object({ data: z.array(fieldSchema) }) },
      },
    },
    async (request) => ({
      data: (await listFields(db, actorOf(request), request.query.entity)).map(present),
    }),
  );
  app.post(
    '/api/v1/fields',
    {
      config: { minRole: 'admin' },
      schema: {
        tags,
        body: z.strictObject({
          entity: z.enum(entities),
          key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be lower_snake_case'),
          label: z.string().trim().min(1).max(200),
          type: z.enum(types),
          options,
          required: z.boolean().optional(),
        }),
        response: { 201: fieldSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(present(await createField(db, actorOf(request), request.body))),
  );
  app.patch(
    '/api/v1/fields/:id',
    {
      config: { minRole: 'admin' },
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({
          label: z.string().trim().min(1).max(200).optional(),
          options,
          required: z.boolean().optional(),
        }),
        response: { 200: fieldSchema },
      },
    },
    async (request) => present(await updateField(db, actorOf(request), request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/fields/:id',
    { config: { minRole: 'admin' }, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteField(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
