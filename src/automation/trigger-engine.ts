import { and, arrayContains, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { outbox, tickets, triggerCausedEvents, triggers } from '../db/schema/index.ts';
import { type Actor, systemActor } from '../platform/auth/actor.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import type { OutboxEvent } from '../platform/outbox/outbox.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import { logTicketEvent } from '../tickets/ticket-records.ts';
import { type TicketPatch, updateTicket } from '../tickets/ticket-service.ts';
import { evaluateRules, factsOf, type TriggerFacts, triggerEvents } from './trigger-rules.ts';

type EventTicket = Omit<TriggerFacts, 'event' | 'message'> & { id: string };
type EventMessage = { kind: string; excerpt?: string };

// Beyond this many trigger-made events in a row something is wrong; the exclusions end chains sooner.
const MAX_DEPTH = 20;

function eventFacts(event: OutboxEvent): (TriggerFacts & { ticketId: string }) | null {
  const ticket = event.payload.ticket as EventTicket | undefined;
  if (!ticket) return null;
  const message = event.payload.message as EventMessage | undefined;
  const said = message ? { kind: message.kind, text: message.excerpt ?? '' } : null;
  return { ...factsOf(ticket, event.type, said), ticketId: ticket.id };
}

export async function activeTriggers(tx: Db, workspaceId: string, eventType: string) {
  return tx
    .select()
    .from(triggers)
    .where(
      and(
        eq(triggers.workspaceId, workspaceId),
        eq(triggers.active, true),
        arrayContains(triggers.events, [eventType]),
      ),
    )
    .orderBy(asc(triggers.position), asc(triggers.createdAt));
}

/**
 * Runs the workspace's triggers on ticket and message events, in order, and applies what fired as one
 * ticket update by the system. Events that update produces remember which triggers fired, and those
 * never fire again down the chain: a trigger's own change cannot re-fire it, and no two triggers can
 * ping-pong forever.
 */
export const triggerEngine: OutboxHandler = {
  name: 'triggers',
  handles: (type) => (triggerEvents as readonly string[]).includes(type),
  async handle(tx, event) {
    const facts = eventFacts(event);
    if (!facts || facts.status === 'closed') return;
    // Read once and dropped: the relay commits this handling with the event marked done.
    const [caused] = await tx
      .delete(triggerCausedEvents)
      .where(eq(triggerCausedEvents.eventId, event.id))
      .returning();
    if (caused && caused.depth >= MAX_DEPTH) return;
    const rules = await activeTriggers(tx, event.workspaceId, event.type);
    if (rules.length === 0) return;
    const { fired, changes } = evaluateRules(rules, facts, new Set(caused?.triggerIds ?? []));
    // Rules that undo each other within one pass leave nothing to write.
    if (fired.length === 0 || Object.keys(changes).length === 0) return;

    // Lock first, so every event for this ticket after `before` is the update's own.
    await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, facts.ticketId)).for('update');
    const [{ before } = { before: 0 }] = await queryRows<{ before: number | string }>(
      tx,
      sql`SELECT coalesce(max(id), 0) AS before FROM outbox`,
    );
    // The ticket service takes a signed-in actor; the system acts here, recorded with no user.
    const actor = systemActor(event.workspaceId) as unknown as Actor;
    const audit = fired.map((rule) => ({ id: rule.id, name: rule.name }));
    try {
      const ticket = await updateTicket(tx, actor, facts.ticketId, changes as TicketPatch);
      await logTicketEvent(tx, systemActor(event.workspaceId), ticket, 'trigger.fired', {
        triggers: audit,
        changes,
      });
    } catch (error) {
      // A rule that asks for something impossible (a deleted team, a closed ticket) is skipped, not retried.
      if (!(error instanceof DomainError)) throw error;
      return;
    }
    const produced = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          gt(outbox.id, Number(before)),
          inArray(outbox.type, [...triggerEvents]),
          sql`${outbox.payload}->'ticket'->>'id' = ${facts.ticketId}`,
        ),
      );
    if (produced.length === 0) return;
    const triggerIds = [...new Set([...(caused?.triggerIds ?? []), ...fired.map((rule) => rule.id)])];
    await tx.insert(triggerCausedEvents).values(
      produced.map((row) => ({
        eventId: row.id,
        workspaceId: event.workspaceId,
        triggerIds,
        depth: (caused?.depth ?? 0) + 1,
      })),
    );
  },
};
