import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { detectableLanguages } from './language-detect.ts';
import { ticketLanguages } from './language-service.ts';

export function registerLanguageRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/intel/tickets/:id/languages',
    {
      schema: {
        tags: ['intelligence'],
        description:
          `The detected language (ISO 639-1: ${detectableLanguages.join(', ')}; 'und' when unclear) of each ` +
          "customer message, oldest first, and the ticket's overall language.",
        params: idParams,
        response: {
          200: z.object({
            language: z.string(),
            messages: z.array(
              z.object({ messageId: z.string(), language: z.string(), confidence: z.number() }),
            ),
          }),
        },
      },
    },
    async (request) => ticketLanguages(db, actorOf(request), request.params.id),
  );
}
