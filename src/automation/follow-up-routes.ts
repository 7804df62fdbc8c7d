import { z } from 'zod';
import { followUpKinds } from '../db/schema/index.ts';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import {
  automationSettingsOf,
  cancelFollowUp,
  FOLLOW_UP_JOB,
  type FollowUp,
  listFollowUps,
  putAutomationSettings,
  scheduleFollowUp,
} from './follow-up-service.ts';

const tags = ['follow-ups'];
const days = z.number().int().min(1).max(365).nullable();
const settingsSchema = z.strictObject({
  checkInDays: days,
  checkInBody: z.string().max(10_000),
  pendingReminderDays: days,
  pendingReminderBody: z.string().max(10_000),
  pendingSolveDays: days,
});
const followUpSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  kind: z.enum(followUpKinds),
  body: z.string(),
  dueAt: z.string(),
  firedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  createdByUserId: z.string().nullable(),
});
const scheduleBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('reminder'),
    body: z.string().trim().max(2000).default(''),
    dueAt: z.iso.datetime({ offset: true }),
  }),
  z.strictObject({
    kind: z.literal('message'),
    body: z.string().trim().min(1).max(50_000),
    dueAt: z.iso.datetime({ offset: true }),
  }),
]);
const followUpParams = z.strictObject({ id: z.uuid(), followUpId: z.uuid() });

const present = (row: FollowUp) => ({
  id: row.id,
  ticketId: row.ticketId,
  kind: row.kind,
  body: row.body,
  dueAt: row.dueAt.toISOString(),
  firedAt: row.firedAt?.toISOString() ?? null,
  cancelledAt: row.cancelledAt?.toISOString() ?? null,
  createdByUserId: row.createdByUserId,
});

/** Follow-ups agents schedule on a ticket, and the workspace's check-in and pending rules (admins). */
export async function registerFollowUpRoutes(app: App, deps: Deps) {
  const { db, queue, clock } = deps;
  // Follow-ups queue their job in the same transaction as their row.
  await queue.declare([FOLLOW_UP_JOB]);

  app.get(
    '/api/v1/tickets/:id/follow-ups',
    { schema: { tags, params: idParams, response: { 200: z.object({ data: z.array(followUpSchema) }) } } },
    async (request) => ({
      data: (await listFollowUps(db, actorOf(request), request.params.id)).map(present),
    }),
  );
  app.post(
    '/api/v1/tickets/:id/follow-ups',
    {
      config: { minRole: 'light' as const },
      schema: {
        tags,
        description: 'A reminder to yourself (a notification) or a message to the customer, at a time.',
        params: idParams,
        body: scheduleBody,
        response: { 201: followUpSchema },
      },
    },
    async (request, reply) => {
      const input = { ...request.body, dueAt: new Date(request.body.dueAt) };
      const row = await scheduleFollowUp(db, queue, actorOf(request), request.params.id, input, clock.now());
      return reply.status(201).send(present(row));
    },
  );
  app.delete(
    '/api/v1/tickets/:id/follow-ups/:followUpId',
    {
      config: { minRole: 'light' as const },
      schema: { tags, params: followUpParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      const { id, followUpId } = request.params;
      await cancelFollowUp(db, actorOf(request), id, followUpId, clock.now());
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/v1/admin/automation-settings',
    { config: { minRole: 'admin' as const }, schema: { tags, response: { 200: settingsSchema } } },
    async (request) => automationSettingsOf(db, actorOf(request).workspaceId),
  );
  app.put(
    '/api/v1/admin/automation-settings',
    {
      config: { minRole: 'admin' as const },
      schema: {
        tags,
        description: 'Check-in N days after a solve; a reminder, then a solve, for tickets left pending.',
        body: settingsSchema,
        response: { 200: settingsSchema },
      },
    },
    async (request) => putAutomationSettings(db, actorOf(request), request.body),
  );
}
