import { z } from 'zod';
import { publicUrl } from '../platform/config.ts';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { botDeflection } from './bot-deflection.ts';
import { suggestArticles } from './bot-service.ts';
import { botChannels, botSettingsOf, updateBotSettings } from './bot-settings.ts';
import { suggestForTicket } from './bot-ticket-suggestions.ts';

const tags = ['answer bot'];
const admin = { minRole: 'admin' as const };

const settingsSchema = z.object({
  enabled: z.boolean(),
  channels: z.array(z.enum(botChannels)),
  threshold: z.number(),
  handoverAfterMinutes: z.number(),
});
const settingsPatch = z.strictObject({
  enabled: z.boolean().optional(),
  channels: z
    .array(z.enum(botChannels))
    .max(botChannels.length)
    .transform((list) => [...new Set(list)])
    .optional(),
  threshold: z.number().min(0).max(1).optional(),
  handoverAfterMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .optional(),
});
const suggestBody = z.strictObject({ question: z.string().trim().min(1).max(1000) });
const suggestion = z.object({
  confidence: z.number(),
  confident: z.boolean(),
  threshold: z.number(),
  articles: z.array(z.object({ id: z.uuid(), title: z.string(), url: z.string(), excerpt: z.string() })),
});
const deflectionQuery = z.object({
  from: z.coerce.date(),
  to: z.coerce.date(),
  channel: z.enum(botChannels).optional(),
});
const deflection = z.object({ answered: z.number(), deflected: z.number(), rate: z.number().nullable() });

/** The answer bot's settings, its suggestions for any question, and its deflection figures. */
export function registerBotRoutes(app: App, { db, config, clock }: Deps) {
  const origin = publicUrl(config);
  app.get(
    '/api/v1/answer-bot/settings',
    { schema: { tags, response: { 200: settingsSchema } } },
    async (request) => botSettingsOf(db, actorOf(request).workspaceId),
  );
  app.patch(
    '/api/v1/answer-bot/settings',
    {
      config: admin,
      schema: {
        tags,
        description:
          'On or off, the channels it answers (chat, email, web, api), its confidence threshold (0–1) and the minutes before silence hands over to a person.',
        body: settingsPatch,
        response: { 200: settingsSchema },
      },
    },
    async (request) => updateBotSettings(db, actorOf(request), request.body),
  );
  app.post(
    '/api/v1/answer-bot/suggestions',
    {
      schema: {
        tags,
        description:
          'Up to 3 published articles for a question with the calibrated confidence (0–1) that they answer it; `confident` says whether the bot would offer them.',
        body: suggestBody,
        response: { 200: suggestion },
      },
    },
    async (request) => {
      const { workspaceId } = actorOf(request);
      const { threshold } = await botSettingsOf(db, workspaceId);
      const result = await suggestArticles(db, {
        workspaceId,
        question: request.body.question,
        threshold,
        origin,
      });
      return { ...result, threshold };
    },
  );
  app.get(
    '/api/v1/answer-bot/tickets/:id/suggestions',
    {
      schema: {
        tags,
        description:
          "The bot's articles for a ticket (its subject and the customer's latest message), for the agent's side panel; shown even below the threshold, with `confident` saying whether the bot would offer them.",
        params: idParams,
        response: { 200: suggestion.extend({ question: z.string() }) },
      },
    },
    async (request) => suggestForTicket(db, actorOf(request), { ticketId: request.params.id, origin }),
  );
  app.get(
    '/api/v1/answer-bot/deflection',
    {
      schema: {
        tags,
        description: 'Bot deflection rate (KPIS.md) for attempts made in [from, to).',
        querystring: deflectionQuery,
        response: { 200: deflection },
      },
    },
    async (request) =>
      botDeflection(db, { workspaceId: actorOf(request).workspaceId, ...request.query }, clock.now()),
  );
}
