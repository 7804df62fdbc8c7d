import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { listReviews, rubricCalibration } from './qa-reports.ts';
import { criteriaSchema } from './qa-rubric.ts';
import {
  listRubrics,
  type ReviewRow,
  type RubricRow,
  reviewQueue,
  saveRubric,
  submitReview,
  ticketReviews,
} from './qa-service.ts';

const tags = ['qa'];
const base = '/api/v1/qa';
const admin = { minRole: 'admin' as const };

const rubricSchema = z.object({
  id: z.string(),
  name: z.string(),
  active: z.boolean(),
  criteria: z.array(z.record(z.string(), z.unknown())),
});
const presentRubric = (r: RubricRow) => ({ id: r.id, name: r.name, active: r.active, criteria: r.criteria });
const rubricBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  criteria: criteriaSchema,
  active: z.boolean().optional(),
});
const reviewSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  rubricId: z.string(),
  reviewerId: z.string().nullable(),
  agentId: z.string().nullable(),
  automatic: z.boolean(),
  scores: z.record(z.string(), z.number().nullable()),
  total: z.number(),
  comment: z.string(),
  updatedAt: z.string(),
});
const presentReview = (r: ReviewRow) => ({
  id: r.id,
  ticketId: r.ticketId,
  rubricId: r.rubricId,
  reviewerId: r.reviewerId,
  agentId: r.agentId,
  automatic: r.automatic,
  scores: r.scores,
  total: r.total,
  comment: r.comment,
  updatedAt: r.updatedAt.toISOString(),
});
const ticketLabelSchema = z.object({ number: z.number(), subject: z.string() });
const calibrationSchema = z.object({
  reviewers: z.number(),
  totals: z.array(z.number()),
  totalSpread: z.number(),
  disagree: z.boolean(),
  criteria: z.array(
    z.object({
      key: z.string(),
      min: z.number(),
      max: z.number(),
      spread: z.number(),
      disagree: z.boolean(),
    }),
  ),
});

/** QA rubrics, reviews of solved tickets with automatic suggestions, calibration and the review queue. */
export function registerQaRoutes(app: App, deps: Deps) {
  const { db, clock } = deps;
  app.get(
    `${base}/rubrics`,
    {
      schema: {
        tags,
        description: 'Rubrics; a workspace starts with the standard one.',
        response: { 200: z.object({ data: z.array(rubricSchema) }) },
      },
    },
    async (request) => ({ data: (await listRubrics(db, actorOf(request))).map(presentRubric) }),
  );
  app.post(
    `${base}/rubrics`,
    { config: admin, schema: { tags, body: rubricBody, response: { 201: rubricSchema } } },
    async (request, reply) =>
      reply.status(201).send(presentRubric(await saveRubric(db, actorOf(request), request.body))),
  );
  app.put(
    `${base}/rubrics/:id`,
    {
      config: admin,
      schema: {
        tags,
        params: z.strictObject({ id: z.uuid() }),
        body: rubricBody,
        response: { 200: rubricSchema },
      },
    },
    async (request) =>
      presentRubric(await saveRubric(db, actorOf(request), { ...request.body, id: request.params.id })),
  );
  app.get(
    `${base}/rubrics/:id/calibration`,
    {
      config: admin,
      schema: {
        tags,
        description:
          'Tickets scored by two or more reviewers on this rubric, how far apart they were per criterion and ' +
          "in total, and each reviewer's scores.",
        params: z.strictObject({ id: z.uuid() }),
        response: {
          200: z.object({
            rubricId: z.string(),
            agreement: z.number().nullable(),
            disagreeing: z.number(),
            tickets: z.array(
              calibrationSchema.extend({
                ticketId: z.string(),
                ticket: ticketLabelSchema,
                reviews: z.array(
                  z.object({
                    reviewerId: z.string(),
                    total: z.number(),
                    scores: z.record(z.string(), z.number().nullable()),
                  }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (request) => rubricCalibration(db, actorOf(request), request.params.id),
  );
  app.get(
    `${base}/tickets/:id/reviews`,
    {
      schema: {
        tags,
        description:
          "A solved ticket's reviews, the automatic suggestion first, with calibration per rubric.",
        params: z.strictObject({ id: z.uuid() }),
        response: {
          200: z.object({
            reviews: z.array(reviewSchema),
            calibration: z.array(calibrationSchema.extend({ rubricId: z.string() })),
          }),
        },
      },
    },
    async (request) => {
      const { reviews, calibration } = await ticketReviews(db, actorOf(request), request.params.id);
      return { reviews: reviews.map(presentReview), calibration };
    },
  );
  app.put(
    `${base}/tickets/:id/reviews`,
    {
      schema: {
        tags,
        description: "The reviewer's scores (criterion key → 0..max, null for not applicable) and comment.",
        params: z.strictObject({ id: z.uuid() }),
        body: z.strictObject({
          rubricId: z.uuid(),
          scores: z.record(z.string(), z.number().nullable()),
          comment: z.string().max(5000).optional(),
        }),
        response: { 200: reviewSchema },
      },
    },
    async (request) =>
      presentReview(
        await submitReview(db, actorOf(request), { ...request.body, ticketId: request.params.id }),
      ),
  );
  app.get(
    `${base}/reviews`,
    {
      schema: {
        tags,
        description:
          "Reviews of an agent's tickets with the ticket's number and subject, newest first: agents see their " +
          "own, admins anyone's.",
        querystring: z.strictObject({
          agent_id: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
        response: { 200: z.object({ data: z.array(reviewSchema.extend({ ticket: ticketLabelSchema })) }) },
      },
    },
    async (request) => ({
      data: (
        await listReviews(db, actorOf(request), {
          agentId: request.query.agent_id,
          limit: request.query.limit,
        })
      ).map((review) => ({ ...presentReview(review), ticket: review.ticket })),
    }),
  );
  app.get(
    `${base}/queue`,
    {
      schema: {
        tags,
        description:
          'A reproducible random sample of recently solved tickets the caller has neither handled nor reviewed.',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(100).default(10),
          seed: z.string().max(40).default('0'),
          days: z.coerce.number().int().min(1).max(365).default(30),
        }),
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                number: z.number(),
                subject: z.string(),
                assigneeId: z.string().nullable(),
                solvedAt: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const rows = await reviewQueue(db, actorOf(request), { ...request.query, now: clock.now() });
      return { data: rows.map((r) => ({ ...r, solvedAt: r.solvedAt?.toISOString() ?? null })) };
    },
  );
}
