import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { messages, ticketLinks, tickets } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { conflict, invalid, invalidState, notFound } from '../platform/errors.ts';
import { recountTicket } from './ticket-counts.ts';
import { logTicketEvent, normaliseTags, type TicketRow } from './ticket-records.ts';

async function lockPair(tx: Db, workspaceId: string, a: string, b: string): Promise<[TicketRow, TicketRow]> {
  if (a === b) throw invalid('A ticket cannot be merged or linked with itself');
  // Locking in id order means two opposite merges cannot deadlock.
  const rows = await tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.workspaceId, workspaceId), inArray(tickets.id, [a, b])))
    .orderBy(asc(tickets.id))
    .for('update');
  const first = rows.find((t) => t.id === a);
  const second = rows.find((t) => t.id === b);
  if (!first || !second) throw notFound('Ticket');
  return [first, second];
}

/**
 * Merges `sourceId` into `targetId`: the source's messages move to the target, tags are combined, and
 * the source is closed pointing at the target. Both histories say so. Closed or merged tickets refuse.
 */
export async function mergeTickets(db: Db, actor: Actor, input: { sourceId: string; targetId: string }) {
  return db.transaction(async (tx) => {
    const [source, target] = await lockPair(tx, actor.workspaceId, input.sourceId, input.targetId);
    if (source.status === 'closed' || source.mergedIntoId)
      throw invalidState(`Ticket #${source.number} is already closed`);
    if (target.status === 'closed' || target.mergedIntoId)
      throw invalidState(`Ticket #${target.number} is closed`);
    const moved = await tx
      .update(messages)
      .set({ ticketId: target.id })
      .where(eq(messages.ticketId, source.id))
      .returning({ id: messages.id });
    const note = (ticketId: string, body: string) => ({
      workspaceId: actor.workspaceId,
      ticketId,
      kind: 'internal_note' as const,
      authorUserId: actor.userId,
      channel: 'api' as const,
      bodyText: body,
      channelMeta: { system: 'merge' },
    });
    await tx
      .insert(messages)
      .values([
        note(target.id, `Ticket #${source.number} (${source.subject}) was merged into this ticket.`),
        note(source.id, `This ticket was merged into #${target.number}.`),
      ]);
    const [closedSource] = await tx
      .update(tickets)
      .set({ status: 'closed', mergedIntoId: target.id, closedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(tickets.id, source.id))
      .returning();
    const tags = normaliseTags([...target.tags, ...source.tags]);
    const [updatedTarget] = await tx
      .update(tickets)
      .set({
        tags,
        // The merged conversation is as fresh as its newest message.
        lastActivityAt: sql`GREATEST(${tickets.lastActivityAt}, ${source.lastActivityAt.toISOString()}::timestamptz)`,
        updatedAt: sql`now()`,
      })
      .where(eq(tickets.id, target.id))
      .returning();
    await recountTicket(tx, actor.workspaceId, source, closedSource!);
    await logTicketEvent(
      tx,
      actor,
      closedSource!,
      'ticket.merged',
      { mergedInto: target.id, status: [source.status, 'closed'] },
      {
        targetId: target.id,
        movedMessages: moved.length,
      },
    );
    await logTicketEvent(tx, actor, updatedTarget!, 'ticket.updated', {
      mergedFrom: source.id,
      tags: [target.tags, tags],
    });
    return { source: closedSource!, target: updatedTarget! };
  });
}

export type LinkKind = 'related' | 'parent_of' | 'child_of';

/** Links two tickets; `child_of` is stored as the other ticket being `parent_of` this one. */
export async function linkTickets(
  db: Db,
  actor: Actor,
  input: { ticketId: string; otherTicketId: string; kind: LinkKind },
) {
  return db.transaction(async (tx) => {
    const [ticket, other] = await lockPair(tx, actor.workspaceId, input.ticketId, input.otherTicketId);
    const stored =
      input.kind === 'child_of'
        ? { ticketId: other.id, otherTicketId: ticket.id, kind: 'parent_of' as const }
        : input.kind === 'related'
          ? { ...orderedPair(ticket.id, other.id), kind: 'related' as const }
          : { ticketId: ticket.id, otherTicketId: other.id, kind: 'parent_of' as const };
    if (stored.kind === 'parent_of') {
      const [existing] = await tx
        .select()
        .from(ticketLinks)
        .where(
          and(
            eq(ticketLinks.kind, 'parent_of'),
            or(
              eq(ticketLinks.otherTicketId, stored.otherTicketId),
              and(
                eq(ticketLinks.ticketId, stored.otherTicketId),
                eq(ticketLinks.otherTicketId, stored.ticketId),
              ),
            ),
          ),
        );
      if (existing) throw conflict('A ticket has one parent, and a parent cannot be its own child');
    }
    const inserted = await tx
      .insert(ticketLinks)
      .values({ ...stored, workspaceId: actor.workspaceId })
      .onConflictDoNothing()
      .returning();
    if (inserted.length > 0) {
      await logTicketEvent(tx, actor, ticket, 'ticket.linked', {
        link: [null, { kind: input.kind, ticketId: other.id }],
      });
    }
  });
}

export async function unlinkTickets(
  db: Db,
  actor: Actor,
  input: { ticketId: string; otherTicketId: string },
) {
  return db.transaction(async (tx) => {
    const [ticket, other] = await lockPair(tx, actor.workspaceId, input.ticketId, input.otherTicketId);
    const removed = await tx
      .delete(ticketLinks)
      .where(
        and(
          eq(ticketLinks.workspaceId, actor.workspaceId),
          or(
            and(eq(ticketLinks.ticketId, ticket.id), eq(ticketLinks.otherTicketId, other.id)),
            and(eq(ticketLinks.ticketId, other.id), eq(ticketLinks.otherTicketId, ticket.id)),
          ),
        ),
      )
      .returning();
    if (removed.length === 0) throw notFound('Link');
    await logTicketEvent(tx, actor, ticket, 'ticket.unlinked', { link: [{ ticketId: other.id }, null] });
  });
}

const orderedPair = (a: string, b: string) =>
  a < b ? { ticketId: a, otherTicketId: b } : { ticketId: b, otherTicketId: a };
