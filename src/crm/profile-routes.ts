import { z } from 'zod';
import { customerSchema, presentCustomer } from '../customers/customer-schemas.ts';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { decodeCursor, encodeCursor } from '../platform/http/cursor.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { eventSchema } from './event-schemas.ts';
import { presentEvent } from './event-service.ts';
import { addNote, deleteNote, getProfile, type Note, updateNote } from './profile-service.ts';
import { customerTimeline } from './timeline-service.ts';

const tags = ['customers'];
const noteSchema = z.object({
  id: z.string(),
  body: z.string(),
  pinned: z.boolean(),
  authorId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const presentNote = (n: Note) => ({
  id: n.id,
  body: n.body,
  pinned: n.pinned,
  authorId: n.authorId,
  createdAt: n.createdAt.toISOString(),
  updatedAt: n.updatedAt.toISOString(),
});
const noteParams = z.strictObject({ id: z.uuid(), noteId: z.uuid() });
const noteBody = z.string().trim().min(1).max(5000);

const profileSchema = z.object({
  customer: customerSchema,
  company: z.object({ id: z.string(), name: z.string(), domain: z.string().nullable() }).nullable(),
  lifetime: z.object({
    orders: z.number(),
    orderValue: z.number(),
    currency: z.string().nullable(),
    tickets: z.number(),
    openTickets: z.number(),
    averageCsat: z.number().nullable(),
    csatAnswers: z.number(),
    lastContactAt: z.string().nullable(),
  }),
  latestOrder: eventSchema.nullable(),
  notes: z.array(noteSchema),
});

const timelineSchema = z.object({
  data: z.array(
    z.object({
      kind: z.enum(['ticket', 'message', 'csat', 'event']),
      id: z.string(),
      at: z.string(),
      ticketId: z.string().nullable(),
      ticketNumber: z.number().nullable(),
      title: z.string(),
      detail: z.string(),
      channel: z.string().nullable(),
      score: z.number().nullable(),
      data: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export function registerProfileRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/customers/:id/profile',
    {
      schema: {
        tags,
        description: 'The customer with company, lifetime figures, latest order and notes (pinned first).',
        params: idParams,
        response: { 200: profileSchema },
      },
    },
    async (request) => {
      const profile = await getProfile(db, actorOf(request), request.params.id);
      return {
        customer: presentCustomer(profile.customer),
        company: profile.company,
        lifetime: {
          ...profile.lifetime,
          lastContactAt: profile.lifetime.lastContactAt?.toISOString() ?? null,
        },
        latestOrder: profile.latestOrder ? presentEvent(profile.latestOrder) : null,
        notes: profile.notes.map(presentNote),
      };
    },
  );

  app.get(
    '/api/v1/customers/:id/timeline',
    {
      schema: {
        tags,
        description: 'Tickets, messages from every channel, CSAT answers and business events, newest first.',
        params: idParams,
        querystring: z.strictObject({
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: timelineSchema },
      },
    },
    async (request) => {
      const { cursor, limit } = request.query;
      const page = await customerTimeline(db, actorOf(request), request.params.id, {
        cursor: cursor ? decodeCursor(cursor) : undefined,
        limit,
      });
      return {
        data: page.data.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
        nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null,
      };
    },
  );

  app.post(
    '/api/v1/customers/:id/notes',
    {
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({ body: noteBody, pinned: z.boolean().optional() }),
        response: { 201: noteSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(presentNote(await addNote(db, actorOf(request), request.params.id, request.body))),
  );

  app.patch(
    '/api/v1/customers/:id/notes/:noteId',
    {
      schema: {
        tags,
        params: noteParams,
        body: z.strictObject({ body: noteBody.optional(), pinned: z.boolean().optional() }),
        response: { 200: noteSchema },
      },
    },
    async (request) =>
      presentNote(
        await updateNote(
          db,
          actorOf(request),
          { customerId: request.params.id, noteId: request.params.noteId },
          request.body,
        ),
      ),
  );

  app.delete(
    '/api/v1/customers/:id/notes/:noteId',
    { schema: { tags, params: noteParams } },
    async (request, reply) => {
      await deleteNote(db, actorOf(request), {
        customerId: request.params.id,
        noteId: request.params.noteId,
      });
      return reply.status(204).send();
    },
  );
}
