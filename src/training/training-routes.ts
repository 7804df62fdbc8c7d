import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { chatModelFrom } from '../platform/llm.ts';
import { addComment, createAssignment, listAssignments, listComments } from './assignment-service.ts';
import { modelVoice } from './customer-voice.ts';
import type { ScenarioInput } from './scenario-schema.ts';
import {
  createScenario,
  deleteScenario,
  getScenario,
  listScenarios,
  replaceScenario,
} from './scenario-service.ts';
import { draftFromTicket } from './ticket-draft.ts';
import {
  assignmentBody,
  assignmentSchema,
  commentBody,
  commentSchema,
  historyItemSchema,
  historyQuery,
  idParams,
  keyParams,
  presentAssignment,
  presentComment,
  presentScenario,
  presentSession,
  replyBody,
  replySchema,
  scenarioBody,
  scenarioDetailSchema,
  scenarioSummarySchema,
  sessionSchema,
  startBody,
} from './training-schemas.ts';
import { finishSession, getSession, listSessions, sendReply, startSession } from './training-service.ts';

const tags = ['training'];
const base = '/api/v1/training';
const admin = { minRole: 'admin' as const };

/** Role-play scenarios, sessions, score history, assignments and comments. */
export function registerTrainingRoutes(app: App, { db, clock, config, logger }: Deps) {
  const model = chatModelFrom(config);
  const deps = { db, clock, voice: model ? modelVoice(model, logger) : undefined };
  app.get(
    `${base}/scenarios`,
    { schema: { tags, response: { 200: z.object({ data: z.array(scenarioSummarySchema) }) } } },
    async (request) => ({
      data: (await listScenarios(db, actorOf(request))).map((e) => presentScenario(e)),
    }),
  );
  app.get(
    `${base}/scenarios/:key`,
    {
      schema: {
        tags,
        description: 'One scenario; admins also get the full definition (hidden facts, solutions, script).',
        params: keyParams,
        response: { 200: scenarioDetailSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return presentScenario(await getScenario(db, actor, request.params.key), actor.role === 'admin');
    },
  );
  app.post(
    `${base}/scenarios`,
    {
      config: admin,
      schema: {
        tags,
        description: 'Saves an admin-authored scenario; the body is a whole scenario definition.',
        body: scenarioBody,
        response: { 201: scenarioDetailSchema },
      },
    },
    async (request, reply) => {
      const entry = await createScenario(db, actorOf(request), request.body as ScenarioInput);
      return reply.status(201).send(presentScenario(entry, true));
    },
  );
  app.post(
    `${base}/scenarios/drafts`,
    {
      config: admin,
      schema: {
        tags,
        description:
          'Drafts a scenario from a solved ticket with e-mails, phones, card and order numbers and names removed; ' +
          'nothing is saved until the draft is POSTed to /scenarios.',
        body: z.strictObject({ ticketId: z.uuid() }),
        response: { 200: z.object({ definition: z.unknown(), redactions: z.number() }) },
      },
    },
    async (request) => draftFromTicket(db, actorOf(request), request.body.ticketId),
  );
  app.put(
    `${base}/scenarios/:key`,
    {
      config: admin,
      schema: { tags, params: keyParams, body: scenarioBody, response: { 200: scenarioDetailSchema } },
    },
    async (request) =>
      presentScenario(
        await replaceScenario(db, actorOf(request), request.params.key, request.body as ScenarioInput),
        true,
      ),
  );
  app.delete(
    `${base}/scenarios/:key`,
    { config: admin, schema: { tags, params: keyParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteScenario(db, actorOf(request), request.params.key);
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${base}/sessions`,
    {
      schema: {
        tags,
        description:
          "Starts a role-play; the response holds the customer's opening message. Never touches tickets.",
        body: startBody,
        response: { 201: sessionSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentSession(await startSession(deps, actorOf(request), request.body))),
  );
  app.get(
    `${base}/sessions`,
    {
      schema: {
        tags,
        description: "Score history, newest first: agents see their own, admins anyone's (agent_id).",
        querystring: historyQuery,
        response: { 200: z.object({ data: z.array(historyItemSchema) }) },
      },
    },
    async (request) => {
      const { agent_id, scenario_key, limit } = request.query;
      const rows = await listSessions(db, actorOf(request), {
        agentId: agent_id,
        scenarioKey: scenario_key,
        limit,
      });
      return { data: rows.map(presentSession) };
    },
  );
  app.get(
    `${base}/sessions/:id`,
    { schema: { tags, params: idParams, response: { 200: sessionSchema } } },
    async (request) => presentSession(await getSession(db, actorOf(request), request.params.id)),
  );
  app.post(
    `${base}/sessions/:id/replies`,
    {
      schema: {
        tags,
        description:
          "Sends the agent's reply; returns the simulated customer's answer and the detected moves.",
        params: idParams,
        body: replyBody,
        response: { 200: replySchema },
      },
    },
    async (request) => {
      const result = await sendReply(deps, actorOf(request), request.params.id, request.body.text);
      return { ...result, session: presentSession(result.session) };
    },
  );
  app.post(
    `${base}/sessions/:id/finish`,
    {
      schema: {
        tags,
        description: 'Ends the session (unresolved fails) and returns it with its scorecard.',
        params: idParams,
        response: { 200: sessionSchema },
      },
    },
    async (request) => presentSession(await finishSession(deps, actorOf(request), request.params.id)),
  );
  app.get(
    `${base}/sessions/:id/comments`,
    { schema: { tags, params: idParams, response: { 200: z.object({ data: z.array(commentSchema) }) } } },
    async (request) => ({
      data: (await listComments(db, actorOf(request), request.params.id)).map(presentComment),
    }),
  );
  app.post(
    `${base}/sessions/:id/comments`,
    { schema: { tags, params: idParams, body: commentBody, response: { 201: commentSchema } } },
    async (request, reply) =>
      reply
        .status(201)
        .send(presentComment(await addComment(db, actorOf(request), request.params.id, request.body.body))),
  );

  app.get(
    `${base}/assignments`,
    {
      schema: {
        tags,
        querystring: z.strictObject({ agent_id: z.uuid().optional() }),
        response: { 200: z.object({ data: z.array(assignmentSchema) }) },
      },
    },
    async (request) => ({
      data: (await listAssignments(db, actorOf(request), { agentId: request.query.agent_id })).map(
        presentAssignment,
      ),
    }),
  );
  app.post(
    `${base}/assignments`,
    { config: admin, schema: { tags, body: assignmentBody, response: { 201: assignmentSchema } } },
    async (request, reply) => {
      const { dueAt, ...rest } = request.body;
      const row = await createAssignment(db, actorOf(request), {
        ...rest,
        dueAt: dueAt ? new Date(dueAt) : undefined,
      });
      return reply.status(201).send(presentAssignment(row));
    },
  );
}
