import { and, asc, desc, eq, inArray, isNull, ne } from 'drizzle-orm';
import {
  attachments,
  messages,
  surveyInvitations,
  surveyResponses,
  tickets,
  users,
} from '../db/schema/index.ts';
import {
  answerSurvey,
  commentOnSurvey,
  createCsatInvitation,
  surveyToken,
} from '../feedback/survey-service.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { SecretBox } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';
import { invalid, invalidState, notFound } from '../platform/errors.ts';
import type { Storage } from '../platform/storage.ts';
import { addMessage } from '../tickets/message-service.ts';
import type { PortalCustomer } from './portal-auth.ts';

export type PortalTicket = {
  id: string;
  number: number;
  subject: string;
  status: string;
  channel: string;
  lastActivityAt: Date;
};

const ticketColumns = {
  id: tickets.id,
  number: tickets.number,
  subject: tickets.subject,
  status: tickets.status,
  channel: tickets.channel,
  lastActivityAt: tickets.lastActivityAt,
};

/** The customer's own tickets from every channel, latest activity first; merged-away tickets are left out. */
export async function listPortalTickets(db: Db, who: PortalCustomer): Promise<PortalTicket[]> {
  return db
    .select(ticketColumns)
    .from(tickets)
    .where(
      and(
        eq(tickets.workspaceId, who.workspaceId),
        eq(tickets.customerId, who.customerId),
        isNull(tickets.mergedIntoId),
      ),
    )
    .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
    .limit(200);
}

/** One of the customer's tickets by its number; not_found for anyone else's, so nothing is revealed. */
export async function portalTicket(db: Db, who: PortalCustomer, number: number): Promise<PortalTicket> {
  const [row] = await db
    .select(ticketColumns)
    .from(tickets)
    .where(
      and(
        eq(tickets.workspaceId, who.workspaceId),
        eq(tickets.customerId, who.customerId),
        eq(tickets.number, number),
        isNull(tickets.mergedIntoId),
      ),
    );
  if (!row) throw notFound('Ticket');
  return row;
}

/** The CSAT rows (invitations or answers) of one of the customer's tickets. */
const csatOf = (
  table: typeof surveyResponses | typeof surveyInvitations,
  who: PortalCustomer,
  ticket: PortalTicket,
) => and(eq(table.workspaceId, who.workspaceId), eq(table.ticketId, ticket.id), eq(table.kind, 'csat'));

const agentFile = /^\/api\/v1\/attachments\/([0-9a-f-]{36})$/;

/**
 * What the customer sees of a ticket: their messages and the agents' public replies (never internal
 * notes), each file linked through the portal, and their CSAT answer if any.
 */
export async function portalConversation(db: Db, who: PortalCustomer, ticket: PortalTicket) {
  const rows = await db
    .select({
      id: messages.id,
      kind: messages.kind,
      bodyText: messages.bodyText,
      attachments: messages.attachments,
      createdAt: messages.createdAt,
      agentName: users.name,
    })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .where(
      and(
        eq(messages.workspaceId, who.workspaceId),
        eq(messages.ticketId, ticket.id),
        ne(messages.kind, 'internal_note'),
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id));
  const [rating] = await db
    .select({ score: surveyResponses.score, comment: surveyResponses.comment })
    .from(surveyResponses)
    .where(csatOf(surveyResponses, who, ticket))
    .orderBy(desc(surveyResponses.answeredAt))
    .limit(1);
  return {
    messages: rows.map((row) => ({
      ...row,
      fromCustomer: row.kind === 'customer_message',
      files: row.attachments.map((file) => ({
        name: file.name,
        size: file.size,
        id: file.url ? (agentFile.exec(file.url)?.[1] ?? null) : null,
      })),
    })),
    rating: rating ?? null,
  };
}

/** Refuses a reply to a ticket that takes none, before any file of it is stored. */
export function checkReplyable(ticket: PortalTicket) {
  if (ticket.status === 'closed')
    throw invalidState('This request is closed; send a new one from the contact form');
}

/** The customer's reply: a customer message on the ticket (reopening a solved one), with their files. */
export async function replyFromPortal(
  db: Db,
  who: PortalCustomer,
  ticket: PortalTicket,
  input: { body: string; uploadIds: string[] },
) {
  checkReplyable(ticket);
  if (!input.body.trim() && input.uploadIds.length === 0)
    throw invalid('Write a reply or add a file', [{ path: 'body', message: 'is empty' }]);
  const { message } = await addMessage(db, systemActor(who.workspaceId), ticket.id, {
    kind: 'customer_message',
    channel: 'web',
    body: input.body,
    attachmentIds: input.uploadIds,
    channelMeta: { portal: { customerId: who.customerId } },
  });
  return message;
}

export const RATING_LINK_HOURS = 24 * 30;

/**
 * Rates a solved ticket through the CSAT survey: the ticket's invitation (made now if it had none)
 * answered with the score, once, and the optional comment added. Throws invalid_state unless solved.
 */
export async function rateFromPortal(
  deps: { db: Db; secretBox: SecretBox },
  who: PortalCustomer,
  ticket: PortalTicket,
  input: { score: number; comment: string },
  now: Date,
) {
  const { db, secretBox } = deps;
  if (ticket.status !== 'solved' && ticket.status !== 'closed')
    throw invalidState('Only a solved request can be rated');
  const [latest] = await db
    .select({
      id: surveyInvitations.id,
      answeredAt: surveyInvitations.answeredAt,
      expiresAt: surveyInvitations.expiresAt,
    })
    .from(surveyInvitations)
    .where(csatOf(surveyInvitations, who, ticket))
    .orderBy(desc(surveyInvitations.createdAt))
    .limit(1);
  // The emailed survey's invitation, unless its links have expired unanswered: the portal still asks.
  const usable = latest && (latest.answeredAt || latest.expiresAt > now) ? latest : undefined;
  const invitationId =
    usable?.id ??
    (
      await createCsatInvitation(
        db,
        { workspaceId: who.workspaceId, ticketId: ticket.id, ttlHours: RATING_LINK_HOURS },
        now,
      )
    ).id;
  const token = surveyToken(secretBox, invitationId, input.score);
  const outcome = await answerSurvey(db, secretBox, token, now, 'portal');
  if (outcome.status === 'recorded' && input.comment.trim())
    await commentOnSurvey(db, secretBox, token, input.comment, now);
  return outcome;
}

/**
 * A file of a message the customer may see (theirs or a public reply on their ticket), with its bytes;
 * not_found for anything else, internal notes' files included.
 */
export async function openPortalFile(
  deps: { db: Db; storage: Storage },
  who: PortalCustomer,
  attachmentId: string,
) {
  const [row] = await deps.db
    .select({ file: attachments })
    .from(attachments)
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .where(
      and(
        eq(attachments.id, attachmentId),
        eq(attachments.workspaceId, who.workspaceId),
        eq(tickets.customerId, who.customerId),
        inArray(messages.kind, ['customer_message', 'public_reply']),
      ),
    );
  if (!row) throw notFound('File');
  return { row: row.file, stream: await deps.storage.get(row.file.storageKey) };
}
