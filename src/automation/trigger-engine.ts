import { and, arrayContains, asc, desc, eq, gt, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { customerEvents, outbox, tickets, triggerCausedEvents, triggers } from '../db/schema/index.ts';
import { automationActor } from '../platform/auth/actor.ts';
import { memoInBatch } from '../platform/db/batch-memo.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import type { OutboxEvent } from '../platform/outbox/outbox.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import { applyOutcome } from './action-executor.ts';
import { ageFacts, withContext } from './trigger-facts.ts';
import {
  evaluateRules,
  factsOf,
  type TriggerFacts,
  type TriggerRule,
  triggerEvents,
} from './trigger-rules.ts';

type EventTicket = Omit<TriggerFacts, 'event' | 'message'> & { id: string; updatedAt?: string };
type EventMessage = {
  kind: string;
  excerpt?: string;
  intent?: string;
  sentiment?: string;
  language?: string;
};

// Beyond this many trigger-made events in a row something is wrong; the exclusions end chains sooner.
const MAX_DEPTH = 20;
// Events whose ticket changes may fire further triggers; `time.elapsed` never travels through the outbox.
const chainEvents = triggerEvents.filter((type) => type !== 'time.elapsed');

function eventFacts(event: OutboxEvent, now: Date): (TriggerFacts & { ticketId: string }) | null {
  const ticket = event.payload.ticket as EventTicket | undefined;
  if (!ticket) return null;
  const message = event.payload.message as EventMessage | undefined;
  const said = message ? { kind: message.kind, text: message.excerpt ?? '' } : null;
  const intel = (event.payload.intel as TriggerFacts['intel'] | undefined) ?? message ?? {};
  // A survey answer's score and kind travel in its history line's changes.
  const survey = (event.payload.changes as { survey?: { kind?: unknown; score?: unknown } } | undefined)
    ?.survey;
  return {
    ...factsOf(ticket, event.type, said),
    intel: { intent: intel.intent, sentiment: intel.sentiment, language: intel.language },
    ...ageFacts(now, ticket),
    ...(event.type === 'survey.answered' &&
      typeof survey?.score === 'number' && { survey: { kind: String(survey.kind), score: survey.score } }),
    ticketId: ticket.id,
  };
}

export function activeTriggers(tx: Db, workspaceId: string, eventType: string) {
  return memoInBatch(tx, `triggers:${workspaceId}:${eventType}`, () =>
    activeTriggersNow(tx, workspaceId, eventType),
  );
}

async function activeTriggersNow(tx: Db, workspaceId: string, eventType: string) {
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

export type TriggerRun = {
  workspaceId: string;
  ticketId: string;
  facts: TriggerFacts;
  rules: TriggerRule[];
  /** Triggers that fired earlier in this chain, and how deep the chain is. */
  caused?: { triggerIds: string[]; depth: number } | undefined;
  now: Date;
};

/**
 * Evaluates the rules on one ticket and carries out what fired as the automation, in a savepoint: a rule
 * that asks for something impossible (a deleted team, a closed ticket) is skipped, not retried. Events
 * the run produces remember which triggers fired, and those never fire again down the chain: a
 * trigger's own change cannot re-fire it, and no two triggers can ping-pong forever. Resolves to the
 * triggers that fired.
 */
export async function runTriggers(tx: Db, run: TriggerRun): Promise<TriggerRule[]> {
  const facts = await withContext(tx, run.workspaceId, run.ticketId, run.facts, run.rules, run.now);
  const skip = new Set(run.caused?.triggerIds ?? []);
  const { fired, changes, effects } = evaluateRules(run.rules, facts, skip);
  // Rules that undo each other within one pass leave nothing to do.
  if (fired.length === 0 || (Object.keys(changes).length === 0 && effects.length === 0)) return [];
  // Lock first, so every event for this ticket after `before` is this run's own.
  await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, run.ticketId)).for('update');
  const [{ before } = { before: 0 }] = await queryRows<{ before: number | string }>(
    tx,
    sql`SELECT coalesce(max(id), 0) AS before FROM outbox`,
  );
  const audit = {
    type: 'trigger.fired' as const,
    detail: { triggers: fired.map((rule) => ({ id: rule.id, name: rule.name })) },
  };
  try {
    await tx.transaction((sp) =>
      applyOutcome(sp, automationActor(run.workspaceId), run.ticketId, facts, { changes, effects, audit }),
    );
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return [];
  }
  const produced = await tx
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        gt(outbox.id, Number(before)),
        inArray(outbox.type, chainEvents),
        sql`${outbox.payload}->'ticket'->>'id' = ${run.ticketId}`,
      ),
    );
  if (produced.length > 0) {
    const triggerIds = [...new Set([...skip, ...fired.map((rule) => rule.id)])];
    await tx.insert(triggerCausedEvents).values(
      produced.map((row) => ({
        eventId: row.id,
        workspaceId: run.workspaceId,
        triggerIds,
        depth: (run.caused?.depth ?? 0) + 1,
      })),
    );
  }
  return fired;
}

// A business event acts on the customer's conversations in progress, newest first, at most this many.
const OPEN_TICKETS_PER_EVENT = 20;

/**
 * A business event (order, shipment, payment…) offered to the `customer.event` triggers on each of the
 * customer's unsolved tickets: "shipment.delayed → priority high, tag delayed" on the ticket asking
 * where the parcel is.
 */
async function runOnBusinessEvent(tx: Db, event: OutboxEvent, now: Date) {
  const payload = event.payload as { customer?: { id?: string }; event?: { id?: string } };
  if (!payload.customer?.id || !payload.event?.id) return;
  const rules = await activeTriggers(tx, event.workspaceId, event.type);
  if (rules.length === 0) return;
  const [business] = await tx
    .select({ type: customerEvents.type, data: customerEvents.data })
    .from(customerEvents)
    .where(and(eq(customerEvents.id, payload.event.id), eq(customerEvents.workspaceId, event.workspaceId)));
  if (!business) return;
  const open = await tx
    .select()
    .from(tickets)
    .where(
      and(
        eq(tickets.workspaceId, event.workspaceId),
        eq(tickets.customerId, payload.customer.id),
        notInArray(tickets.status, ['solved', 'closed']),
        isNull(tickets.mergedIntoId),
      ),
    )
    .orderBy(desc(tickets.lastActivityAt))
    .limit(OPEN_TICKETS_PER_EVENT);
  for (const ticket of open) {
    await runTriggers(tx, {
      workspaceId: event.workspaceId,
      ticketId: ticket.id,
      facts: { ...factsOf(ticket, event.type, null), businessEvent: business, ...ageFacts(now, ticket) },
      rules,
      now,
    });
  }
}

/** Runs the workspace's triggers on ticket, message, SLA and business events, in order (see runTriggers). */
export const triggerEngine: OutboxHandler = {
  name: 'triggers',
  handles: (type) => (chainEvents as readonly string[]).includes(type),
  async handle(tx, event) {
    const now = new Date();
    if (event.type === 'customer.event') return runOnBusinessEvent(tx, event, now);
    const facts = eventFacts(event, now);
    if (!facts || facts.status === 'closed') return;
    // Read once and dropped: the relay commits this handling with the event marked done.
    const [caused] = await tx
      .delete(triggerCausedEvents)
      .where(eq(triggerCausedEvents.eventId, event.id))
      .returning();
    if (caused && caused.depth >= MAX_DEPTH) return;
    const rules = await activeTriggers(tx, event.workspaceId, event.type);
    if (rules.length === 0) return;
    const { ticketId, ...ticketFacts } = facts;
    await runTriggers(tx, {
      workspaceId: event.workspaceId,
      ticketId,
      facts: ticketFacts,
      rules,
      caused,
      now,
    });
  },
};
