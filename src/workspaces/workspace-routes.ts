import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { createWorkspace, listWorkspacesOf } from './workspace-service.ts';

const tags = ['workspaces'];
const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  role: z.string(),
  createdAt: z.string(),
});

export function registerWorkspaceRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/workspaces',
    { schema: { tags, response: { 200: z.object({ data: z.array(workspaceSchema) }) } } },
    async (request) => ({
      data: (await listWorkspacesOf(db, actorOf(request).userId)).map((w) => ({
        ...w,
        createdAt: w.createdAt.toISOString(),
      })),
    }),
  );

  // Any admin may start another isolated workspace (a brand, a client) and becomes its admin.
  app.post(
    '/api/v1/workspaces',
    {
      config: { minRole: 'admin' },
      schema: {
        tags,
        body: z.strictObject({
          name: z.string().trim().min(1).max(200),
          slug: z
            .string()
            .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'must be 2-40 lower-case letters, digits and dashes')
            .optional(),
        }),
        response: { 201: workspaceSchema },
      },
    },
    async (request, reply) => {
      const workspace = await createWorkspace(db, { ...request.body, ownerUserId: actorOf(request).userId });
      return reply
        .status(201)
        .send({ ...workspace, role: 'admin', createdAt: workspace.createdAt.toISOString() });
    },
  );
}
