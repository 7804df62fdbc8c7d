import { z } from 'zod';
import { nearestSlaClocks, slaSummarySchema } from '../automation/sla-summary-service.ts';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { addMessage } from './message-service.ts';
import { readViewCounts, ticketStatuses } from './ticket-counts.ts';
import { linkTickets, mergeTickets, unlinkTickets } from './ticket-merge.ts';
import { getTicket, listMessages, listTicketEvents, listTicketLinks, listTickets } from './ticket-queries.ts';
import {
  addMessageBody,
  createTicketBody,
  listTicketsQuery,
  messageSchema,
  presentMessage,
  presentTicket,
  ticketSchema,
  updateTicketBody,
} from './ticket-schemas.ts';
import { createTicketWithCustomer, updateTicket } from './ticket-service.ts';

const tags = ['tickets'];
const listedTicketSchema = ticketSchema.extend({ sla: slaSummarySchema.nullable() });

export function registerTicketRoutes(app: App, { db, clock }: Deps) {
  app.post(
    '/api/v1/tickets',
    { schema: { tags, body: createTicketBody, response: { 201: ticketSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const ticket = await createTicketWithCustomer(db, actor, request.body);
      return reply.status(201).send(presentTicket(ticket, actor));
    },
  );

  app.get(
    '/api/v1/tickets',
    {
      schema: {
        tags,
        querystring: listTicketsQuery,
        response: { 200: z.object({ data: z.array(listedTicketSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { updated_since, ...rest } = request.query;
      const now = clock.now();
      const page = await listTickets(db, actor, { ...rest, updatedSince: updated_since, now });
      // One query for the page's SLA badges, through automation's service.
      const slas = await nearestSlaClocks(
        db,
        actor,
        page.data.map((t) => t.id),
        now,
      );
      return {
        data: page.data.map((t) => ({ ...presentTicket(t, actor), sla: slas.get(t.id) ?? null })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/tickets/counts',
    {
      schema: {
        tags,
        response: {
          200: z.object({
            unsolved: z.number(),
            unassigned: z.number(),
            mine: z.number(),
            byStatus: z.record(z.string(), z.number()),
            byTeam: z.record(z.string(), z.number()),
            byAssignee: z.record(z.string(), z.number()),
          }),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const counts = await readViewCounts(db, actor.workspaceId);
      const pick = (prefix: string) =>
        Object.fromEntries(
          Object.entries(counts)
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, n]) => [key.slice(prefix.length), n]),
        );
      return {
        unsolved: counts.unsolved ?? 0,
        unassigned: counts.unassigned ?? 0,
        mine: counts[`assignee:${actor.userId}`] ?? 0,
        byStatus: { ...Object.fromEntries(ticketStatuses.map((s) => [s, 0])), ...pick('status:') },
        byTeam: pick('team:'),
        byAssignee: pick('assignee:'),
      };
    },
  );

  app.get(
    '/api/v1/tickets/:id',
    { schema: { tags, params: idParams, response: { 200: ticketSchema } } },
    async (request) => {
      const actor = actorOf(request);
      return presentTicket(await getTicket(db, actor, request.params.id), actor);
    },
  );

  app.patch(
    '/api/v1/tickets/:id',
    { schema: { tags, params: idParams, body: updateTicketBody, response: { 200: ticketSchema } } },
    async (request) => {
      const actor = actorOf(request);
      await updateTicket(db, actor, request.params.id, request.body);
      return presentTicket(await getTicket(db, actor, request.params.id), actor);
    },
  );

  app.get(
    '/api/v1/tickets/:id/messages',
    { schema: { tags, params: idParams, response: { 200: z.object({ data: z.array(messageSchema) }) } } },
    async (request) => {
      const rows = await listMessages(db, actorOf(request), request.params.id);
      return {
        data: rows.map((row) =>
          presentMessage(row.message, { user: row.authorUserName, customer: row.authorCustomerName }),
        ),
      };
    },
  );

  app.post(
    '/api/v1/tickets/:id/messages',
    {
      // Light agents may post internal notes; the service refuses them anything else.
      config: { minRole: 'light' },
      schema: { tags, params: idParams, body: addMessageBody, response: { 201: messageSchema } },
    },
    async (request, reply) => {
      const { message } = await addMessage(db, actorOf(request), request.params.id, request.body);
      return reply.status(201).send(presentMessage(message));
    },
  );

  app.get(
    '/api/v1/tickets/:id/events',
    {
      schema: {
        tags,
        params: idParams,
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.number(),
                type: z.string(),
                actorUserId: z.string().nullable(),
                changes: z.record(z.string(), z.unknown()),
                createdAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      data: (await listTicketEvents(db, actorOf(request), request.params.id)).map((e) => ({
        id: e.id,
        type: e.type,
        actorUserId: e.actorUserId,
        changes: e.changes,
        createdAt: e.createdAt.toISOString(),
      })),
    }),
  );

  app.post(
    '/api/v1/tickets/:id/merge',
    {
      schema: {
        tags,
        description: 'Merges this ticket into another: its messages move there and this ticket is closed.',
        params: idParams,
        body: z.strictObject({ into: z.uuid() }),
        response: { 200: z.object({ source: ticketSchema, target: ticketSchema }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await mergeTickets(db, actor, { sourceId: request.params.id, targetId: request.body.into });
      const [source, target] = await Promise.all([
        getTicket(db, actor, request.params.id),
        getTicket(db, actor, request.body.into),
      ]);
      return { source: presentTicket(source, actor), target: presentTicket(target, actor) };
    },
  );

  const linkSchema = z.object({ kind: z.enum(['related', 'parent_of', 'child_of']), ticketId: z.string() });
  app.get(
    '/api/v1/tickets/:id/links',
    { schema: { tags, params: idParams, response: { 200: z.object({ data: z.array(linkSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      await getTicket(db, actor, request.params.id);
      return { data: await listTicketLinks(db, actor, request.params.id) };
    },
  );

  app.post(
    '/api/v1/tickets/:id/links',
    {
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({ ticketId: z.uuid(), kind: z.enum(['related', 'parent_of', 'child_of']) }),
        response: { 201: z.object({ data: z.array(linkSchema) }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await linkTickets(db, actor, {
        ticketId: request.params.id,
        otherTicketId: request.body.ticketId,
        kind: request.body.kind,
      });
      return reply.status(201).send({ data: await listTicketLinks(db, actor, request.params.id) });
    },
  );

  app.delete(
    '/api/v1/tickets/:id/links/:otherId',
    {
      schema: {
        tags,
        params: z.strictObject({ id: z.uuid(), otherId: z.uuid() }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await unlinkTickets(db, actorOf(request), {
        ticketId: request.params.id,
        otherTicketId: request.params.otherId,
      });
      return reply.status(204).send(null);
    },
  );
}
