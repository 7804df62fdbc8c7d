import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import {
  presentSuggestion,
  statusSchema,
  suggestionSchema,
  triageSettingsBody,
  triageSettingsSchema,
} from './triage-schemas.ts';
import { giveTriageFeedback, listSuggestions, ticketSuggestion, triageStatus } from './triage-service.ts';
import { queueTraining, readTriageSettings, saveTriageSettings } from './triage-settings.ts';

const tags = ['intelligence'];
const admin = { minRole: 'admin' as const };

/** Triage: settings, model status and training, per-ticket suggestions and the agents' verdicts. */
export async function registerTriageRoutes(app: App, deps: Deps) {
  const { db, queue } = deps;
  // Settings and feedback queue training inside their transactions.
  await queue.declare(['intel.triage.train']);

  app.get(
    '/api/v1/intel/triage/settings',
    {
      schema: {
        tags,
        description:
          'Where categories come from, the confidence at which triage acts, and category → team/priority.',
        response: { 200: z.object({ settings: triageSettingsSchema.nullable() }) },
      },
    },
    async (request) => ({ settings: await readTriageSettings(db, actorOf(request).workspaceId) }),
  );

  app.put(
    '/api/v1/intel/triage/settings',
    {
      config: admin,
      schema: {
        tags,
        description:
          'Saves the settings. The label source is a ticket custom field (`{kind: "field", key}`) or a tag ' +
          'group (`{kind: "tags", prefix: "topic:"}`); changing it queues a training from scratch.',
        body: triageSettingsBody,
        response: { 200: z.object({ settings: triageSettingsSchema }) },
      },
    },
    async (request) => ({ settings: await saveTriageSettings(db, queue, actorOf(request), request.body) }),
  );

  app.get(
    '/api/v1/intel/triage/status',
    {
      schema: {
        tags,
        description:
          'The model (version, categories, rows, held-out accuracy), corrections not yet learnt, and training jobs waiting or failed.',
        response: { 200: statusSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const status = await triageStatus(db, actor);
      const jobs = (await queue.list({ workspaceId: actor.workspaceId, limit: 20 }))
        .filter((job) => job.name === 'intel.triage.train')
        .map((job) => ({
          id: job.id,
          state: job.state,
          mode: String((job.payload as { mode?: unknown }).mode ?? ''),
          error: job.error,
        }));
      const model = status.model && {
        ...status.model,
        trainedAt: status.model.trainedAt.toISOString(),
        updatedAt: status.model.updatedAt.toISOString(),
      };
      return { ...status, model, jobs };
    },
  );

  app.post(
    '/api/v1/intel/triage/train',
    {
      config: admin,
      schema: {
        tags,
        description: 'Queues a training from scratch on the labelled tickets (a durable job).',
        response: { 202: z.object({ queued: z.boolean() }) },
      },
    },
    async (request, reply) => {
      await queueTraining(db, queue, actorOf(request).workspaceId, 'full');
      return reply.code(202).send({ queued: true });
    },
  );

  app.get(
    '/api/v1/intel/triage/suggestions',
    {
      schema: {
        tags,
        description: 'Suggestions newest first; `state=proposed` lists those waiting for an agent.',
        querystring: z.strictObject({
          state: z.enum(['applied', 'proposed', 'accepted', 'corrected']).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
        response: { 200: z.object({ data: z.array(suggestionSchema) }) },
      },
    },
    async (request) => ({
      data: (await listSuggestions(db, actorOf(request), request.query)).map(presentSuggestion),
    }),
  );

  app.get(
    '/api/v1/intel/tickets/:id/triage',
    {
      schema: {
        tags,
        description: "Triage's suggestion for this ticket, or null when it made none.",
        params: idParams,
        response: { 200: z.object({ suggestion: suggestionSchema.nullable() }) },
      },
    },
    async (request) => {
      const row = await ticketSuggestion(db, actorOf(request), request.params.id);
      return { suggestion: row && presentSuggestion(row) };
    },
  );

  app.post(
    '/api/v1/intel/tickets/:id/triage/feedback',
    {
      schema: {
        tags,
        description:
          "Accepts (same category) or corrects triage's category: files the ticket under it with the mapped " +
          'team and priority, and records the verdict for the next model update.',
        params: idParams,
        body: z.strictObject({ category: z.string().min(1).max(200) }),
        response: { 200: z.object({ suggestion: suggestionSchema.nullable(), feedbackId: z.string() }) },
      },
    },
    async (request) => {
      const result = await giveTriageFeedback(db, queue, actorOf(request), request.params.id, request.body);
      return {
        suggestion: result.suggestion && presentSuggestion(result.suggestion),
        feedbackId: result.feedback.id,
      };
    },
  );
}
