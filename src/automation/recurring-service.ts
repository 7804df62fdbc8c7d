import { and, asc, eq } from 'drizzle-orm';
import { renderTemplate } from '../canned/canned-template.ts';
import { customerById, upsertCustomerByIdentity } from '../customers/customer-service.ts';
import { type RecurringTemplate, recurringTickets } from '../db/schema/index.ts';
import { missingRequiredFields, validateCustomFields } from '../fields/field-service.ts';
import type { Actor, AnyActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { DomainError, forbidden, invalid, notFound } from '../platform/errors.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { getTeam } from '../teams/team-service.ts';
import { logTicketEvent, type TicketRow } from '../tickets/ticket-records.ts';
import { createTicket } from '../tickets/ticket-service.ts';
import { isAssignableAgent } from '../users/user-service.ts';
import { placeholderValues } from './action-executor.ts';
import {
  localDate,
  nextOccurrence,
  normaliseRule,
  type RecurrenceRule,
  ruleIssues,
} from './recurring-rule.ts';

declare module '../platform/queue/queue.ts' {
  interface JobTypes {
    /** Opens a recurring ticket's occurrence `runAt`, unless its schedule moved on since it was queued. */
    'recurring.open': { workspaceId: string; recurringTicketId: string; runAt: string };
    /** Opens overdue occurrences whose job went missing; the per-occurrence jobs do the usual work. */
    'recurring.scan': { workspaceId?: string };
  }
}

export const RECURRING_JOB = 'recurring.open';
export const RECURRING_SCAN_JOB = 'recurring.scan';

export type RecurringTicket = typeof recurringTickets.$inferSelect;
export type RecurringCustomer = { id: string } | { email: string; name?: string | undefined };
export type RecurringInput = {
  name: string;
  customer: RecurringCustomer;
  template: RecurringTemplate;
  assigneeId?: string | null | undefined;
  teamId?: string | null | undefined;
  rule: RecurrenceRule;
  active?: boolean | undefined;
};
export type RecurringPatch = Partial<RecurringInput>;

function requireAdmin(actor: Actor) {
  if (actor.role !== 'admin') throw forbidden('Only admins manage recurring tickets');
}

const mine = (workspaceId: string, id: string) =>
  and(eq(recurringTickets.id, id), eq(recurringTickets.workspaceId, workspaceId));

/**
 * Queues the job of the row's next occurrence in the caller's transaction. The key names the
 * occurrence, so queueing it twice queues it once; a job left from an earlier schedule finds the row
 * moved on and does nothing.
 */
export async function queueOccurrence(tx: Db, queue: Queue, row: RecurringTicket): Promise<void> {
  if (!row.active) return;
  const runAt = row.nextRunAt.toISOString();
  await queue.send(
    RECURRING_JOB,
    { workspaceId: row.workspaceId, recurringTicketId: row.id, runAt },
    { tx, startAfter: row.nextRunAt, singletonKey: `recurring:${row.id}:${runAt}` },
  );
}

async function resolveCustomer(tx: Db, workspaceId: string, customer: RecurringCustomer): Promise<string> {
  if ('id' in customer) return (await customerById(tx, workspaceId, customer.id)).id;
  return upsertCustomerByIdentity(tx, workspaceId, customer);
}

/** Refuses what would keep the template from opening a ticket: another workspace's people, bad fields. */
async function checkTemplate(
  tx: Db,
  actor: Actor,
  row: Pick<RecurringTicket, 'rule' | 'assigneeId' | 'teamId' | 'template'>,
): Promise<RecurringTemplate> {
  const issues = ruleIssues(row.rule);
  if (issues.length) throw invalid('The rule is not valid', issues);
  if (row.assigneeId && !(await isAssignableAgent(tx, actor.workspaceId, row.assigneeId)))
    throw invalid('The assignee is not an active agent of this workspace', [
      { path: 'assigneeId', message: 'not assignable' },
    ]);
  if (row.teamId)
    await getTeam(tx, actor, row.teamId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'not_found')
        throw invalid('No such team', [{ path: 'teamId', message: 'not found' }]);
      throw error;
    });
  const fields = row.template.customFields ?? {};
  const cleaned = await validateCustomFields(tx, actor.workspaceId, 'ticket', fields).catch((error) => {
    throw error instanceof DomainError
      ? invalid(
          error.message,
          error.issues?.map((i) => ({ ...i, path: `template.${i.path}` })),
        )
      : error;
  });
  const missing = await missingRequiredFields(tx, actor.workspaceId, 'ticket', cleaned);
  if (missing.length)
    throw invalid(
      'Required fields are missing',
      missing.map((key) => ({ path: `template.customFields.${key}`, message: 'is required' })),
    );
  return { ...row.template, customFields: cleaned };
}

export async function listRecurringTickets(db: Db, actor: Actor): Promise<RecurringTicket[]> {
  requireAdmin(actor);
  return db
    .select()
    .from(recurringTickets)
    .where(eq(recurringTickets.workspaceId, actor.workspaceId))
    .orderBy(asc(recurringTickets.name), asc(recurringTickets.id));
}

/** Throws notFound for another workspace's recurring ticket. */
export async function getRecurringTicket(db: Db, actor: Actor, id: string, lock = false) {
  requireAdmin(actor);
  const query = db.select().from(recurringTickets).where(mine(actor.workspaceId, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('Recurring ticket');
  return row;
}

/**
 * Adds a recurring ticket (the customer found by id, or by email and created when new) and queues
 * its first occurrence, both in one transaction. Admins only; throws validation errors for people,
 * teams and fields the workspace does not have.
 */
export async function createRecurringTicket(
  db: Db,
  queue: Queue,
  actor: Actor,
  input: RecurringInput,
  now: Date,
): Promise<RecurringTicket> {
  requireAdmin(actor);
  return db.transaction(async (tx) => {
    const values = {
      workspaceId: actor.workspaceId,
      name: input.name,
      rule: normaliseRule(input.rule),
      customerId: await resolveCustomer(tx, actor.workspaceId, input.customer),
      assigneeId: input.assigneeId ?? null,
      teamId: input.teamId ?? null,
      active: input.active ?? true,
      createdAt: now,
      updatedAt: now,
    };
    const template = await checkTemplate(tx, actor, { ...values, template: input.template });
    const [row] = await tx
      .insert(recurringTickets)
      .values({ ...values, template, nextRunAt: nextOccurrence(values.rule, now) })
      .returning();
    await queueOccurrence(tx, queue, row!);
    return row!;
  });
}

/**
 * Changes a recurring ticket. A new rule, or switching it back on, plans the next occurrence from now
 * (a paused rule does not catch up); anything else keeps the planned one.
 */
export async function updateRecurringTicket(
  db: Db,
  queue: Queue,
  actor: Actor,
  id: string,
  patch: RecurringPatch,
  now: Date,
): Promise<RecurringTicket> {
  requireAdmin(actor);
  return db.transaction(async (tx) => {
    const row = await getRecurringTicket(tx, actor, id, true);
    const next = {
      name: patch.name ?? row.name,
      rule: patch.rule ? normaliseRule(patch.rule) : row.rule,
      customerId: patch.customer
        ? await resolveCustomer(tx, actor.workspaceId, patch.customer)
        : row.customerId,
      assigneeId: patch.assigneeId === undefined ? row.assigneeId : patch.assigneeId,
      teamId: patch.teamId === undefined ? row.teamId : patch.teamId,
      active: patch.active ?? row.active,
      nextRunAt: row.nextRunAt,
    };
    // Pausing always works, even a rule whose template the workspace no longer accepts.
    const pauseOnly = Object.keys(patch).every((key) => key === 'active') && !next.active;
    const template = pauseOnly
      ? row.template
      : await checkTemplate(tx, actor, { ...next, template: patch.template ?? row.template });
    const replanned = patch.rule !== undefined || (next.active && !row.active);
    if (replanned) next.nextRunAt = nextOccurrence(next.rule, now);
    const [updated] = await tx
      .update(recurringTickets)
      .set({ ...next, template, updatedAt: now })
      .where(mine(actor.workspaceId, id))
      .returning();
    if (replanned) await queueOccurrence(tx, queue, updated!);
    return updated!;
  });
}

/** Removes a recurring ticket; its queued job finds nothing and ends. */
export async function deleteRecurringTicket(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  const deleted = await db
    .delete(recurringTickets)
    .where(mine(actor.workspaceId, id))
    .returning({ id: recurringTickets.id });
  if (deleted.length === 0) throw notFound('Recurring ticket');
}

/**
 * Opens the template's ticket for one occurrence in the caller's transaction, placeholders filled,
 * with a history line naming the recurring ticket. An assignee who can no longer take tickets is left
 * out (and named in the line) rather than losing the ticket. Throws the ticket's validation errors.
 */
export async function openOccurrence(
  tx: Db,
  actor: AnyActor,
  row: RecurringTicket,
  occurrence: Date,
): Promise<TicketRow> {
  const { workspaceId, customerId, template } = row;
  const assignable = row.assigneeId ? await isAssignableAgent(tx, workspaceId, row.assigneeId) : false;
  const assigneeId = assignable ? row.assigneeId : null;
  const values = {
    ...(await placeholderValues(tx, { workspaceId, customerId, assigneeId })),
    date: localDate(row.rule, occurrence),
  };
  const fill = (text: string) => renderTemplate(text, values).text;
  const source = { kind: 'recurring_ticket', recurringTicketId: row.id };
  const ticket = await createTicket(tx, actor, {
    subject: fill(template.subject),
    customer: { id: customerId },
    message: { body: fill(template.body), channelMeta: { automation: source } },
    channel: 'api',
    priority: template.priority,
    tags: template.tags,
    customFields: template.customFields,
    assigneeId,
    teamId: row.teamId,
  });
  await logTicketEvent(tx, actor, ticket, 'recurring.opened', {
    recurringTicket: { id: row.id, name: row.name },
    occurrence: occurrence.toISOString(),
    ...(row.assigneeId && !assignable ? { assigneeLeftOut: row.assigneeId } : {}),
  });
  return ticket;
}

/** An admin opens the template's ticket now; the schedule stays as it was. */
export async function runRecurringTicketNow(db: Db, actor: Actor, id: string, now: Date): Promise<TicketRow> {
  requireAdmin(actor);
  return db.transaction(async (tx) => {
    const row = await getRecurringTicket(tx, actor, id, true);
    const ticket = await openOccurrence(tx, actor, row, now);
    await tx
      .update(recurringTickets)
      .set({ lastRunAt: now, lastError: null, updatedAt: now })
      .where(mine(actor.workspaceId, id));
    return ticket;
  });
}
