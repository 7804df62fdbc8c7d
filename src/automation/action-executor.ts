import { and, desc, eq, sql } from 'drizzle-orm';
import { sharedCannedBody } from '../canned/canned-service.ts';
import { renderTemplate, type TemplateValues, templateValues } from '../canned/canned-template.ts';
import { customerTemplateValues } from '../crm/crm-placeholders.ts';
import { customerIdentities, customers, outbox, teamMembers, users, workspaces } from '../db/schema/index.ts';
import type { Actor, AutomationActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { addMessage } from '../tickets/message-service.ts';
import { lockTicket, logTicketEvent, type TicketRow, ticketSummary } from '../tickets/ticket-records.ts';
import { type TicketPatch, updateTicket } from '../tickets/ticket-service.ts';
import { queueWebhookCall } from '../webhooks/webhook-service.ts';
import type { TriggerFacts } from './trigger-conditions.ts';
import { pickAgent } from './trigger-routing.ts';
import type { Effect, TicketChanges } from './trigger-rules.ts';

export type Outcome = {
  changes: TicketChanges;
  effects: Effect[];
  /** The ticket history line: `trigger.fired` with the triggers, or `macro.applied` with the macro. */
  audit: { type: 'trigger.fired' | 'macro.applied'; detail: Record<string, unknown> };
};
export type ActionActor = Actor | AutomationActor;

/**
 * The placeholder values of a customer, an agent (the workspace's name standing in without one), the
 * workspace and, once it exists, the ticket.
 */
export async function placeholderValues(
  tx: Db,
  scope: { workspaceId: string; customerId: string; assigneeId: string | null },
  ticket?: { number: number; subject: string },
): Promise<TemplateValues> {
  // Read here rather than through the owning services: those take a signed-in actor.
  const [row] = await tx
    .select({ customer: customers.name, workspace: workspaces.name })
    .from(customers)
    .innerJoin(workspaces, eq(workspaces.id, customers.workspaceId))
    .where(and(eq(customers.id, scope.customerId), eq(customers.workspaceId, scope.workspaceId)));
  const [email] = await tx
    .select({ value: customerIdentities.value })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.customerId, scope.customerId), eq(customerIdentities.kind, 'email')))
    .limit(1);
  const [agent] = scope.assigneeId
    ? await tx.select({ name: users.name }).from(users).where(eq(users.id, scope.assigneeId))
    : [];
  const values = {
    ...(await customerTemplateValues(tx, scope.workspaceId, scope.customerId)),
    ...templateValues({
      customer: { name: row?.customer ?? '', email: email?.value ?? null },
      ticket: ticket ?? { number: 0, subject: '' },
      agent: { name: agent?.name ?? row?.workspace ?? '' },
      workspace: { name: row?.workspace ?? '' },
    }),
  };
  // Before the ticket exists its placeholders stay as written.
  return ticket ? values : { ...values, 'ticket.number': undefined, 'ticket.subject': undefined };
}

/** Placeholders of a template filled from the ticket, its customer, its assignee and the workspace. */
export async function fillTemplate(tx: Db, ticket: TicketRow, body: string): Promise<string> {
  const values = await placeholderValues(tx, ticket, ticket);
  return renderTemplate(body, values).text;
}

async function notifyTargets(tx: Db, ticket: TicketRow, userIds: string[] | undefined): Promise<string[]> {
  if (userIds?.length) return userIds;
  if (ticket.assigneeId) return [ticket.assigneeId];
  if (!ticket.teamId) return [];
  const members = await tx
    .select({ id: teamMembers.userId })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, ticket.teamId), eq(teamMembers.workspaceId, ticket.workspaceId)));
  return members.map((member) => member.id);
}

async function routeChanges(
  tx: Db,
  workspaceId: string,
  facts: TriggerFacts,
  outcome: Outcome,
): Promise<TicketChanges> {
  const changes = { ...outcome.changes };
  for (const { action } of outcome.effects) {
    if (action.type !== 'route') continue;
    const teamId = action.teamId ?? (changes.teamId !== undefined ? changes.teamId : facts.teamId);
    const tags = changes.tags ?? facts.tags;
    const language = facts.intel?.language ?? facts.customer?.language;
    const wanted = action.skills ?? [...tags, ...(language ? [language] : [])];
    const picked = await pickAgent(tx, workspaceId, {
      strategy: action.strategy ?? 'least_loaded',
      teamId: teamId ?? null,
      wanted,
    });
    if (picked && picked !== facts.assigneeId) changes.assigneeId = picked;
    if (picked) break;
  }
  return changes;
}

/**
 * Carries out what fired on one ticket, in the caller's transaction: field changes (routing decided
 * now) as one ticket update, then replies, notes, notifications and webhook calls in action order, then
 * one audit line in the ticket's history. Throws the ticket services' domain errors unchanged.
 */
export async function applyOutcome(
  tx: Db,
  actor: ActionActor,
  ticketId: string,
  facts: TriggerFacts,
  outcome: Outcome,
): Promise<TicketRow> {
  const changes = await routeChanges(tx, actor.workspaceId, facts, outcome);
  if (Object.keys(changes).length > 0) await updateTicket(tx, actor, ticketId, changes as TicketPatch);
  const source = { kind: outcome.audit.type, ...outcome.audit.detail };
  const webhooks: string[] = [];
  for (const { action } of outcome.effects) {
    if (action.type === 'reply' || action.type === 'note') {
      const ticket = await lockTicket(tx, actor.workspaceId, ticketId);
      const template = action.cannedId
        ? await sharedCannedBody(tx, actor.workspaceId, action.cannedId)
        : null;
      const body = await fillTemplate(tx, ticket, template ?? action.body ?? '');
      await addMessage(tx, actor, ticketId, {
        kind: action.type === 'reply' ? 'public_reply' : 'internal_note',
        body,
        channelMeta: { automation: source },
      });
    }
    if (action.type === 'notify') {
      const ticket = await lockTicket(tx, actor.workspaceId, ticketId);
      const userIds = await notifyTargets(tx, ticket, action.userIds);
      if (userIds.length > 0)
        await recordEvent(tx, {
          workspaceId: actor.workspaceId,
          type: 'agent.notified',
          payload: { ticket: ticketSummary(ticket), userIds, body: action.body ?? '', source },
        });
    }
    if (action.type === 'webhook' && action.webhookId) webhooks.push(action.webhookId);
  }
  const ticket = await lockTicket(tx, actor.workspaceId, ticketId);
  const effects = outcome.effects.map(({ rule, action }) => ({ rule: rule.id, type: action.type }));
  await logTicketEvent(tx, actor, ticket, outcome.audit.type, { ...outcome.audit.detail, changes, effects });
  if (webhooks.length > 0) await callWebhooks(tx, actor.workspaceId, ticketId, outcome.audit.type, webhooks);
  return ticket;
}

/** Delivers the audit line's own event to each named webhook, through the webhooks' delivery worker. */
async function callWebhooks(tx: Db, workspaceId: string, ticketId: string, type: string, ids: string[]) {
  const [event] = await tx
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.workspaceId, workspaceId),
        eq(outbox.type, type),
        sql`${outbox.payload}->'ticket'->>'id' = ${ticketId}`,
      ),
    )
    .orderBy(desc(outbox.id))
    .limit(1);
  if (!event) return;
  const payload = {
    id: event.id,
    type: event.type,
    workspaceId,
    createdAt: event.createdAt.toISOString(),
    data: event.payload,
  };
  for (const subscriptionId of new Set(ids))
    await queueWebhookCall(tx, { workspaceId, subscriptionId, event: { id: event.id, type, payload } });
}
