import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import {
  type DuplicateDismissal,
  dismissDuplicate,
  listDismissals,
  undoDismissal,
} from './duplicate-dismissals.ts';
import { suggestDuplicates } from './duplicate-service.ts';

const tags = ['customers'];
const pair = { customerIds: z.tuple([z.string(), z.string()]), names: z.tuple([z.string(), z.string()]) };
const dismissal = z.object({
  id: z.string(),
  ...pair,
  dismissedById: z.string().nullable(),
  createdAt: z.string(),
});
const present = (d: DuplicateDismissal) => ({ ...d, createdAt: d.createdAt.toISOString() });

export function registerDuplicateRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/customers/duplicates',
    {
      schema: {
        tags,
        description:
          'Suggested merges, without pairs dismissed as two people; merge one with POST /api/v1/customers/:id/merge.',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: {
          200: z.object({ data: z.array(z.object({ ...pair, reason: z.string(), score: z.number() })) }),
        },
      },
    },
    async (request) => ({ data: await suggestDuplicates(db, actorOf(request), request.query.limit) }),
  );

  app.post(
    '/api/v1/customers/duplicates/dismissals',
    {
      schema: {
        tags,
        description: 'Says two customers are not one person: the pair is never suggested again.',
        body: z.strictObject({ customerIds: z.tuple([z.uuid(), z.uuid()]) }),
        response: { 201: dismissal },
      },
    },
    async (request, reply) =>
      reply.code(201).send(present(await dismissDuplicate(db, actorOf(request), request.body.customerIds))),
  );

  app.get(
    '/api/v1/customers/duplicates/dismissals',
    {
      schema: {
        tags,
        description: 'Pairs dismissed as two people, newest first (at most 500).',
        response: { 200: z.object({ data: z.array(dismissal) }) },
      },
    },
    async (request) => ({ data: (await listDismissals(db, actorOf(request))).map(present) }),
  );

  app.delete(
    '/api/v1/customers/duplicates/dismissals/:id',
    {
      schema: {
        tags,
        description: 'Undoes a dismissal: the pair can be suggested again.',
        params: idParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await undoDismissal(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
