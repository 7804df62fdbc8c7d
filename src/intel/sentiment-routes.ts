import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { ticketSentiment } from './sentiment-service.ts';

const mood = { score: z.number(), label: z.string(), frustration: z.number(), urgency: z.number() };

export function registerSentimentRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/intel/tickets/:id/sentiment',
    {
      schema: {
        tags: ['intelligence'],
        description:
          "The ticket's mood (latest customer message's label, trend improving/steady/worsening, peak frustration " +
          'and urgency of the last three) and the score and signals of each customer message, oldest first.',
        params: idParams,
        response: {
          200: z.object({
            ticket: z.object({ ...mood, trend: z.string(), messages: z.number() }).nullable(),
            messages: z.array(z.object({ messageId: z.string(), ...mood, signals: z.array(z.string()) })),
          }),
        },
      },
    },
    async (request) => ticketSentiment(db, actorOf(request), request.params.id),
  );
}
