import { and, eq, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { customerById } from '../customers/customer-service.ts';
import { isIdentityRace } from '../customers/customer-upsert.ts';
import type { CustomerRef } from '../customers/identities.ts';
import { teams, tickets } from '../db/schema/index.ts';
import type { Attachment } from '../db/schema/tickets.ts';
import { missingRequiredFields, validateCustomFields } from '../fields/field-service.ts';
import type { Actor, AnyActor, AutomationActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { conflict, invalid, invalidState } from '../platform/errors.ts';
import { htmlToText, sanitizeHtml } from '../platform/html.ts';
import { wakeRelaysSoon } from '../platform/outbox/outbox.ts';
import { isAssignableAgent } from '../users/user-service.ts';
import { ticketBatcher } from './ticket-batch.ts';
import { recountTicket, type TicketStatus } from './ticket-counts.ts';
import { insertNewTicket, type NewTicket } from './ticket-insert.ts';
import type { TicketWithCustomer } from './ticket-queries.ts';
import { lockTicket, logTicketEvent, normaliseTags, rememberTags, type TicketRow } from './ticket-records.ts';

export type Channel = 'email' | 'chat' | 'web' | 'api' | 'phone' | 'social';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

export type MessageContent = {
  body?: string | undefined;
  html?: string | undefined;
  attachments?: Attachment[] | undefined;
  channelMeta?: Record<string, unknown> | undefined;
};

/** Sanitises outside HTML and makes sure every message has a plain-text body. */
export function messageContent(content: MessageContent) {
  const bodyHtml = content.html ? sanitizeHtml(content.html) : null;
  const bodyText = content.body?.trim() || (bodyHtml ? htmlToText(bodyHtml) : '');
  if (!bodyText && !content.attachments?.length)
    throw invalid('A message needs a body', [{ path: 'message.body', message: 'is empty' }]);
  return {
    bodyText,
    bodyHtml,
    attachments: content.attachments ?? [],
    channelMeta: content.channelMeta ?? {},
  };
}

export type CreateTicketInput = {
  subject: string;
  customer: CustomerRef | { id: string };
  message: MessageContent & { kind?: 'customer_message' | 'public_reply' | undefined };
  channel?: Channel | undefined;
  priority?: Priority | undefined;
  status?: TicketStatus | undefined;
  tags?: string[] | undefined;
  customFields?: Record<string, unknown> | undefined;
  assigneeId?: string | null | undefined;
  teamId?: string | null | undefined;
};

async function checkAssignment(
  tx: Db,
  workspaceId: string,
  assigneeId: string | null | undefined,
  teamId: string | null | undefined,
) {
  if (assigneeId && !(await isAssignableAgent(tx, workspaceId, assigneeId))) {
    throw invalid('The assignee is not an active agent of this workspace', [
      { path: 'assigneeId', message: 'not assignable' },
    ]);
  }
  if (teamId) {
    const [team] = await tx
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.id, teamId), eq(teams.workspaceId, workspaceId)));
    if (!team) throw invalid('No such team', [{ path: 'teamId', message: 'not found' }]);
  }
}

/**
 * Opens a ticket with its first message, finding or creating the customer by identity, in one statement
 * (see insertNewTicket). A first message written by an agent makes an outbound ticket. Throws validation
 * errors before writing. Resolves to the ticket as getTicket would read it right after.
 */
export async function createTicketWithCustomer(
  db: Db,
  actor: AnyActor,
  input: CreateTicketInput,
): Promise<TicketWithCustomer> {
  const subject = input.subject.trim();
  if (!subject) throw invalid('A ticket needs a subject', [{ path: 'subject', message: 'is empty' }]);
  const content = messageContent(input.message);
  const outbound = input.message.kind === 'public_reply';
  // Automations (proactive outreach) write to customers too; a channel's intake never does.
  if (outbound && !actor.userId && actor.role !== 'automation')
    throw invalid('Only an agent or an automation can open an outbound ticket');
  const workspaceId = actor.workspaceId;

  // Plain reads before the write: inside a transaction at READ COMMITTED they would lock nothing either.
  await checkAssignment(db, workspaceId, input.assigneeId, input.teamId);
  // No values, nothing to check against the definitions: skip reading them (required ones are checked
  // inside the statement).
  const customFields = Object.keys(input.customFields ?? {}).length
    ? await validateCustomFields(db, workspaceId, 'ticket', input.customFields ?? {})
    : {};
  const customer =
    'id' in input.customer ? await customerById(db, workspaceId, input.customer.id) : input.customer;
  const status = input.status ?? (input.assigneeId || outbound ? 'open' : 'new');
  if (status === 'closed') throw invalid('A new ticket cannot start closed');
  const ticket: NewTicket = {
    customer,
    subject: subject.slice(0, 500),
    status,
    priority: input.priority ?? 'normal',
    channel: input.channel ?? 'api',
    assigneeId: input.assigneeId ?? null,
    teamId: input.teamId ?? null,
    tags: normaliseTags(input.tags ?? []),
    customFields,
    message: { outbound, ...content },
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    let created: TicketWithCustomer | undefined;
    try {
      created = await insertOnce(db, actor, ticket);
    } catch (error) {
      // Another request created this new customer first: the next try finds it.
      if (isIdentityRace(error)) continue;
      throw error;
    }
    if (created) return created;
    const missing = await missingRequiredFields(db, workspaceId, 'ticket', customFields);
    if (missing.length)
      throw invalid(
        'Required fields are missing',
        missing.map((key) => ({ path: `customFields.${key}`, message: 'is required' })),
      );
    if ('id' in customer) throw invalid('No such customer', [{ path: 'customer.id', message: 'not found' }]);
  }
  throw conflict('The customer changed while we were saving; try again');
}

const inTransaction = (db: Db): boolean => db instanceof PgTransaction;

// A failed statement aborts a caller's transaction: there, run it in a savepoint so a retry can follow,
// and let its event's NOTIFY wait for the caller's commit. On its own, the ticket shares a statement
// and its commit with concurrent ones (see createTicketBatcher), and the relays are woken after it
// (see wakeRelaysSoon for why not by its own NOTIFY).
async function insertOnce(db: Db, actor: AnyActor, ticket: NewTicket) {
  if (inTransaction(db))
    return db.transaction((savepoint) => insertNewTicket(savepoint, actor, ticket, { notify: true }));
  const created = await ticketBatcher(db).insert(actor, ticket);
  if (created) wakeRelaysSoon(db);
  return created;
}

/** createTicket for callers that keep only the ticket's own row. */
export const createTicket: (db: Db, actor: AnyActor, input: CreateTicketInput) => Promise<TicketRow> =
  createTicketWithCustomer;

export type TicketPatch = {
  subject?: string | undefined;
  status?: TicketStatus | undefined;
  priority?: Priority | undefined;
  assigneeId?: string | null | undefined;
  teamId?: string | null | undefined;
  tags?: string[] | undefined;
  addTags?: string[] | undefined;
  removeTags?: string[] | undefined;
  customFields?: Record<string, unknown> | undefined;
};

/** Checks a status move: closed is final, and "new" is only where a ticket starts. */
export function checkStatusMove(from: TicketStatus, to: TicketStatus) {
  if (from === to) return;
  if (from === 'closed') throw invalidState('A closed ticket cannot change; open a follow-up instead');
  if (to === 'new') throw invalidState('A ticket cannot go back to new');
  if (to === 'closed' && from !== 'solved') throw invalidState('Only a solved ticket can be closed');
}

/** Timestamps that follow a status change. */
export function statusTimestamps(to: TicketStatus, from: TicketStatus) {
  if (to === from) return {};
  if (to === 'solved') return { solvedAt: sql`now()` };
  if (to === 'closed') return { closedAt: sql`now()` };
  return {};
}

/** Applies field changes to one ticket; records each change in its history. Throws if nothing can change. */
export async function updateTicket(
  db: Db,
  actor: Actor | AutomationActor,
  ticketId: string,
  patch: TicketPatch,
): Promise<TicketRow> {
  return db.transaction(async (tx) => {
    const before = await lockTicket(tx, actor.workspaceId, ticketId);
    if (before.status === 'closed')
      throw invalidState('A closed ticket cannot change; open a follow-up instead');
    if (patch.status) checkStatusMove(before.status, patch.status);
    await checkAssignment(tx, actor.workspaceId, patch.assigneeId, patch.teamId);
    let tags = patch.tags ? normaliseTags(patch.tags) : before.tags;
    if (patch.addTags) tags = normaliseTags([...tags, ...patch.addTags]);
    if (patch.removeTags) {
      const removed = new Set(normaliseTags(patch.removeTags));
      tags = tags.filter((tag) => !removed.has(tag));
    }
    const customFields =
      patch.customFields === undefined
        ? before.customFields
        : await validateCustomFields(tx, actor.workspaceId, 'ticket', {
            ...before.customFields,
            ...patch.customFields,
          });
    const next = {
      subject: patch.subject?.trim() || before.subject,
      status: patch.status ?? before.status,
      priority: patch.priority ?? before.priority,
      assigneeId: patch.assigneeId === undefined ? before.assigneeId : patch.assigneeId,
      teamId: patch.teamId === undefined ? before.teamId : patch.teamId,
      tags,
      customFields,
    };
    const changes: Record<string, [unknown, unknown]> = {};
    for (const key of Object.keys(next) as (keyof typeof next)[]) {
      if (JSON.stringify(before[key]) !== JSON.stringify(next[key])) changes[key] = [before[key], next[key]];
    }
    if (Object.keys(changes).length === 0) return before;
    const [after] = await tx
      .update(tickets)
      .set({ ...next, ...statusTimestamps(next.status, before.status), updatedAt: sql`now()` })
      .where(eq(tickets.id, ticketId))
      .returning();
    await rememberTags(
      tx,
      actor.workspaceId,
      tags.filter((tag) => !before.tags.includes(tag)),
    );
    await recountTicket(tx, actor.workspaceId, before, after!);
    await logTicketEvent(tx, actor, after!, 'ticket.updated', changes);
    return after!;
  });
}
