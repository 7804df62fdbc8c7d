import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { ticketSummary } from './summary-service.ts';

export function registerSummaryRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/intel/tickets/:id/summary',
    {
      schema: {
        tags: ['intelligence'],
        description:
          "An extractive summary of the ticket's thread for hand-offs: its key sentences in thread order, " +
          'each with why it was picked. `long` says whether the thread is long enough to need one.',
        params: idParams,
        querystring: z.strictObject({ sentences: z.coerce.number().int().min(1).max(20).optional() }),
        response: {
          200: z.object({
            sentences: z.array(
              z.object({
                messageId: z.string(),
                kind: z.string(),
                text: z.string(),
                reasons: z.array(z.enum(['opening', 'question', 'commitment', 'central', 'latest'])),
              }),
            ),
            sentenceCount: z.number(),
            long: z.boolean(),
          }),
        },
      },
    },
    async (request) => ticketSummary(db, actorOf(request), request.params.id, request.query),
  );
}
