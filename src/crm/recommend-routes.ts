import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { recommendForCustomer } from './recommend-service.ts';

const item = z.object({ sku: z.string(), name: z.string() });

export function registerRecommendRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/customers/:id/recommendations',
    {
      schema: {
        tags: ['customers'],
        description:
          'Items this customer has not bought yet, by item-to-item co-occurrence over order events and recent popularity, with the reason; `because` is the bought item behind a co-occurrence.',
        params: idParams,
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(5) }),
        response: {
          200: z.object({
            data: z.array(
              item.extend({
                score: z.number(),
                because: item.nullable(),
                recentBuyers: z.number(),
                reason: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      data: await recommendForCustomer(db, actorOf(request), request.params.id, request.query.limit),
    }),
  );
}
