import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { notFound } from '../platform/errors.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import type { JobSummary } from '../platform/queue/queue.ts';

const tags = ['jobs'];
const config = { minRole: 'admin' as const };

const jobSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(['pending', 'active', 'completed', 'failed', 'cancelled']),
  payload: z.unknown(),
  retries: z.number().int(),
  runAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  error: z.string().nullable(),
});

const listQuery = z.strictObject({
  state: z.enum(['pending', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const present = (job: JobSummary) => ({
  ...job,
  runAt: job.runAt.toISOString(),
  createdAt: job.createdAt.toISOString(),
});

/** Admins see the workspace's background jobs (waiting, running, failed with the reason) and rerun failed ones. */
export function registerJobRoutes(app: App, deps: Deps) {
  app.get(
    '/api/v1/admin/jobs',
    {
      config,
      schema: { tags, querystring: listQuery, response: { 200: z.object({ data: z.array(jobSchema) }) } },
    },
    async (request) => {
      const { workspaceId } = actorOf(request);
      return { data: (await deps.queue.list({ workspaceId, ...request.query })).map(present) };
    },
  );

  app.post(
    '/api/v1/admin/jobs/:id/retry',
    {
      config,
      schema: {
        tags,
        description: 'Runs a failed job again now, with one more try.',
        params: idParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const retried = await deps.queue.retry(request.params.id, actorOf(request).workspaceId);
      if (!retried) throw notFound('Failed job');
      return reply.status(204).send(null);
    },
  );
}
