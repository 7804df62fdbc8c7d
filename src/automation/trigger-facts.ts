import { and, asc, eq } from 'drizzle-orm';
import { businessSchedules, customers, tickets } from '../db/schema/index.ts';
import { ticketMood } from '../intel/sentiment-service.ts';
import { ticketIntent } from '../intel/triage-service.ts';
import type { Db } from '../platform/db/database.ts';
import { isBusinessTime } from './business-time.ts';
import { neededFacts, type TriggerFacts } from './trigger-conditions.ts';
import type { TriggerRule } from './trigger-rules.ts';

const HOUR = 3_600_000;

/** Ticket timestamps the event carries (or the row has), for time conditions. */
export function ageFacts(now: Date, ticket: { updatedAt?: unknown; createdAt?: unknown }) {
  const hoursSince = (value: unknown) => {
    const at = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
    return at && !Number.isNaN(at.getTime()) ? (now.getTime() - at.getTime()) / HOUR : undefined;
  };
  return { hoursSinceUpdate: hoursSince(ticket.updatedAt), hoursSinceCreated: hoursSince(ticket.createdAt) };
}

/**
 * Adds to the event's facts what the rules look at and the payload lacks: custom fields, the customer,
 * whether business hours are on. Read straight from the tables: this is a read inside the relay's
 * transaction, and the owning services take a signed-in actor.
 */
export async function withContext(
  tx: Db,
  workspaceId: string,
  ticketId: string,
  facts: TriggerFacts,
  rules: TriggerRule[],
  now: Date,
): Promise<TriggerFacts> {
  const need = neededFacts(rules.map((rule) => rule.conditions));
  const next: TriggerFacts = { ...facts };
  if (need.ticketRow || need.customer) {
    const [row] = await tx
      .select({ customFields: tickets.customFields, customer: customers, createdAt: tickets.createdAt })
      .from(tickets)
      .leftJoin(customers, eq(customers.id, tickets.customerId))
      .where(and(eq(tickets.id, ticketId), eq(tickets.workspaceId, workspaceId)));
    if (row) {
      next.customFields = facts.customFields ?? row.customFields;
      next.hoursSinceCreated = ageFacts(now, { createdAt: row.createdAt }).hoursSinceCreated;
      next.customer = row.customer && {
        language: row.customer.language,
        tier: row.customer.tier,
        tags: row.customer.tags,
        attributes: row.customer.customAttributes,
      };
    }
  }
  // Events do not carry the mood: intelligence stored it earlier in the same relay batch.
  if (need.mood && (!next.intel?.sentiment || next.intel.urgency === undefined)) {
    const mood = await ticketMood(tx, workspaceId, ticketId);
    next.intel = {
      ...next.intel,
      sentiment: next.intel?.sentiment || mood?.label,
      urgency: next.intel?.urgency ?? mood?.urgency,
    };
  }
  // The intent is triage's category: the agents' verdict, else what triage applied or proposed.
  if (need.intent && !next.intel?.intent)
    next.intel = { ...next.intel, intent: (await ticketIntent(tx, workspaceId, ticketId)) ?? undefined };
  if (need.businessHours) {
    const schedules = await tx
      .select()
      .from(businessSchedules)
      .where(eq(businessSchedules.workspaceId, workspaceId))
      .orderBy(asc(businessSchedules.createdAt));
    const open: Record<string, boolean> = {};
    for (const schedule of schedules) open[schedule.id] = isBusinessTime(schedule, now);
    if (schedules[0]) open.default = open[schedules[0].id]!;
    next.businessHours = open;
  }
  return next;
}
