import { z } from 'zod';
import { roles } from '../platform/auth/actor.ts';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { emailSchema, idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { memberSchema, presentMember } from './user-schemas.ts';
import { createUser, getMember, listMembers, updateMember } from './user-service.ts';

export function registerUserRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/users',
    { schema: { tags: ['users'], response: { 200: z.object({ data: z.array(memberSchema) }) } } },
    async (request) => ({
      data: (await listMembers(db, actorOf(request))).map(presentMember),
    }),
  );

  app.post(
    '/api/v1/users',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['users'],
        body: z.strictObject({
          email: emailSchema,
          name: z.string().trim().min(1).max(200),
          password: z.string().max(1024),
          role: z.enum(roles).default('agent'),
        }),
        response: { 201: memberSchema },
      },
    },
    async (request, reply) => {
      const member = await createUser(db, { ...request.body, workspaceId: actorOf(request).workspaceId });
      return reply.status(201).send(presentMember(member));
    },
  );

  app.get(
    '/api/v1/users/:id',
    { schema: { tags: ['users'], params: idParams, response: { 200: memberSchema } } },
    async (request) => presentMember(await getMember(db, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { minRole: 'light', audit: true },
      schema: {
        tags: ['users'],
        params: idParams,
        body: z.strictObject({
          name: z.string().trim().min(1).max(200).optional(),
          role: z.enum(roles).optional(),
          disabled: z.boolean().optional(),
        }),
        response: { 200: memberSchema },
      },
    },
    async (request) =>
      presentMember(await updateMember(db, actorOf(request), request.params.id, request.body)),
  );
}
