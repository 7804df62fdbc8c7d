import { z } from 'zod';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import { DomainError, type ErrorCode } from '../platform/errors.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { problemType } from '../platform/http/problem.ts';
import type { App } from '../platform/http/server.ts';
import { updateTicketBody } from './ticket-schemas.ts';
import { type TicketPatch, updateTicket } from './ticket-service.ts';

export type BulkResult =
  | { id: string; ok: true }
  | { id: string; ok: false; code: ErrorCode; detail: string };

/**
 * Applies one change to many tickets, each in its own transaction, so one that cannot change (closed,
 * another workspace's) fails alone and the rest still change. Never throws for a single ticket.
 */
export async function bulkUpdateTickets(
  db: Db,
  actor: Actor,
  ticketIds: string[],
  patch: TicketPatch,
  onUnexpected: (error: unknown) => void,
): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const id of new Set(ticketIds)) {
    try {
      await updateTicket(db, actor, id, patch);
      results.push({ id, ok: true });
    } catch (error) {
      if (error instanceof DomainError) {
        results.push({ id, ok: false, code: error.code, detail: error.message });
      } else {
        onUnexpected(error);
        results.push({ id, ok: false, code: 'internal', detail: 'Something went wrong on our side' });
      }
    }
  }
  return results;
}

const changes = updateTicketBody
  .pick({ status: true, priority: true, assigneeId: true, teamId: true, addTags: true, removeTags: true })
  .refine((value) => Object.values(value).some((v) => v !== undefined), 'name at least one change');

const resultSchema = z.union([
  z.object({ id: z.string(), ok: z.literal(true) }),
  z.object({
    id: z.string(),
    ok: z.literal(false),
    error: z.object({ type: z.string(), detail: z.string() }),
  }),
]);

export function registerTicketBulkRoutes(app: App, { db }: Deps) {
  app.post(
    '/api/v1/tickets/bulk',
    {
      schema: {
        tags: ['tickets'],
        description:
          'Applies the same change to up to 500 tickets, one at a time. Answers 200 with a result per ' +
          'ticket: a ticket that cannot change (closed, not found) is reported and the others still change.',
        body: z.strictObject({ ticketIds: z.array(z.uuid()).min(1).max(500), changes }),
        response: { 200: z.object({ results: z.array(resultSchema) }) },
      },
    },
    async (request) => {
      const results = await bulkUpdateTickets(
        db,
        actorOf(request),
        request.body.ticketIds,
        request.body.changes,
        (error) => request.log.error({ err: error }, 'bulk ticket update failed'),
      );
      return {
        results: results.map((result) =>
          result.ok
            ? result
            : {
                id: result.id,
                ok: false as const,
                error: { type: problemType(result.code), detail: result.detail },
              },
        ),
      };
    },
  );
}
