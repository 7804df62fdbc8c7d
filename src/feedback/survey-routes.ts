import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import type { App } from '../platform/http/server.ts';
import { answerPage, commentPage, type SurveyPage } from './survey-pages.ts';
import { answerSurvey, commentOnSurvey } from './survey-service.ts';

/** Per client address: enough for a person clicking, too few to walk through guessed tokens. */
export const SURVEY_RATE_LIMIT = 30;
const config = { public: true };
// In the query, not the path: sealed tokens outgrow the router's 100-character path parameters.
const tokenQuery = z.strictObject({ t: z.string().min(1).max(600) });
const commentForm = z.object({ comment: z.string().max(4000).default('') });

const send = (reply: FastifyReply, shown: SurveyPage) =>
  reply
    .status(shown.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(shown.html);

/** The one-click survey links of emails (public, no sign-in) and the optional comment after them. */
export async function registerSurveyRoutes(app: App, deps: Deps) {
  const { db, secretBox, clock } = deps;
  // One counter per client address for the answer and the comment pages together.
  const limit = app.rateLimit({ max: SURVEY_RATE_LIMIT, timeWindow: '1 minute' });
  // The survey scheduler queues its job inside the relay's transaction.
  await deps.queue.declare(['feedback.csat']);
  app.get(
    '/feedback/survey',
    { config, onRequest: limit, schema: { hide: true, querystring: tokenQuery } },
    async (request, reply) =>
      send(
        reply,
        answerPage(await answerSurvey(db, secretBox, request.query.t, clock.now()), request.query.t),
      ),
  );
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    // The comment arrives from a plain HTML form, which posts URL-encoded fields.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    scope.post(
      '/feedback/survey/comment',
      { config, onRequest: limit, schema: { hide: true, querystring: tokenQuery, body: commentForm } },
      async (request, reply) =>
        send(
          reply,
          commentPage(
            await commentOnSurvey(db, secretBox, request.query.t, request.body.comment, clock.now()),
          ),
        ),
    );
  });
}
