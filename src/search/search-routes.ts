import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { search } from './search-service.ts';

const highlight = z.string().describe('Safe HTML: the text escaped, matches wrapped in <mark>…</mark>');

const searchResponse = z.object({
  tickets: z.array(
    z.object({ id: z.string(), number: z.number(), subject: z.string(), status: z.string(), highlight }),
  ),
  messages: z.array(
    z.object({
      id: z.string(),
      ticketId: z.string(),
      ticketNumber: z.number(),
      ticketSubject: z.string(),
      kind: z.enum(['customer_message', 'public_reply', 'internal_note']),
      highlight,
    }),
  ),
  customers: z.array(z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), highlight })),
});

export function registerSearchRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/search',
    {
      schema: {
        tags: ['search'],
        description:
          'One box over tickets, messages (internal notes included) and customers. Words, "quoted phrases", ' +
          'or -excluded words; "#123" finds ticket 123. `limit` applies to each section.',
        querystring: z.strictObject({
          q: z.string().trim().min(1).max(200),
          limit: z.coerce.number().int().min(1).max(50).default(10),
        }),
        response: { 200: searchResponse },
      },
    },
    async (request) => search(db, actorOf(request), request.query),
  );
}
