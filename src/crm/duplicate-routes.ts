import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { suggestDuplicates } from './duplicate-service.ts';

export function registerDuplicateRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/customers/duplicates',
    {
      schema: {
        tags: ['customers'],
        description: 'Suggested merges; merge one with POST /api/v1/customers/:id/merge.',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: {
          200: z.object({
            data: z.array(
              z.object({
                customerIds: z.tuple([z.string(), z.string()]),
                names: z.tuple([z.string(), z.string()]),
                reason: z.string(),
                score: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ data: await suggestDuplicates(db, actorOf(request), request.query.limit) }),
  );
}
