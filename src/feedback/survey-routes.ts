import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { invalid, notFound } from '../platform/errors.ts';
import type { App } from '../platform/http/server.ts';
import { formPage, formResultPage, submitFeedbackForm } from './feedback-form.ts';
import { answerPage, commentPage, type SurveyPage } from './survey-pages.ts';
import { answerSurvey, commentOnSurvey } from './survey-service.ts';

/** Per client address: enough for a person clicking, too few to walk through guessed tokens. */
export const SURVEY_RATE_LIMIT = 30;
const config = { public: true };
// In the query, not the path: sealed tokens outgrow the router's 100-character path parameters.
const tokenQuery = z.strictObject({ t: z.string().min(1).max(600) });
const commentForm = z.object({ comment: z.string().max(4000).default('') });
/** Public form posts per client address in ten minutes. */
export const FORM_RATE_LIMIT = 10;
const slugParams = z.strictObject({ workspace: z.string().min(1).max(100) });
const feedbackForm = z.object({
  body: z.string().max(8000).default(''),
  email: z.string().max(320).optional(),
  rating: z
    .union([z.literal(''), z.coerce.number().int().min(1).max(5)])
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  website: z.string().max(500).optional(),
});

const send = (reply: FastifyReply, shown: SurveyPage) =>
  reply
    .status(shown.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(shown.html);

/**
 * The one-click survey links of emails (public, no sign-in), the optional comment after them, and the
 * public feedback form of each workspace.
 */
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
  const formLimit = app.rateLimit({ max: FORM_RATE_LIMIT, timeWindow: '10 minutes' });
  app.get(
    '/feedback/form/:workspace',
    { config, onRequest: limit, schema: { hide: true, params: slugParams } },
    async (request, reply) => send(reply, await formPage(db, request.params.workspace)),
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
    scope.post(
      '/feedback/form/:workspace',
      {
        config,
        onRequest: formLimit,
        schema: {
          tags: ['feedback'],
          description:
            'Public feedback form (HTML form or JSON): text, optional 1–5 rating and email; 10 posts per address per 10 minutes.',
          params: slugParams,
          body: feedbackForm,
        },
      },
      async (request, reply) => {
        const outcome = await submitFeedbackForm(db, request.params.workspace, request.body, clock.now());
        // A browser's form gets a page; an API caller posting JSON gets JSON and problem bodies.
        if (!String(request.headers['content-type']).startsWith('application/json'))
          return send(reply, formResultPage(outcome));
        if (outcome.status === 'unknown_workspace') throw notFound('Feedback form');
        if (outcome.status === 'empty') throw invalid('body: write the feedback first');
        return reply.status(202).send({ status: 'recorded' });
      },
    );
  });
}
