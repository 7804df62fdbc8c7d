import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { similarTickets } from './similar-service.ts';

const similarSchema = z.object({
  ticketId: z.string(),
  number: z.number(),
  subject: z.string(),
  status: z.string(),
  solvedAt: z.string().nullable(),
  score: z.number(),
  reply: z.object({ messageId: z.string(), body: z.string(), draft: z.string() }),
});

export function registerSimilarRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/intel/tickets/:id/similar',
    {
      schema: {
        tags: ['intelligence'],
        description:
          'Solved tickets most like this one, best first, each with the reply that solved it and that ' +
          "reply as a draft for this ticket's customer.",
        params: idParams,
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(20).optional() }),
        response: { 200: z.object({ data: z.array(similarSchema) }) },
      },
    },
    async (request) => {
      const rows = await similarTickets(db, actorOf(request), request.params.id, request.query);
      return { data: rows.map((row) => ({ ...row, solvedAt: row.solvedAt?.toISOString() ?? null })) };
    },
  );
}
