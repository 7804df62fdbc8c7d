import { and, eq, isNull } from 'drizzle-orm';
import { surveyInvitations, surveyResponses, tickets } from '../db/schema/index.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { SecretBox } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import { logTicketEvent } from '../tickets/ticket-records.ts';
import { insertFeedbackItem } from './feedback-items.ts';

export type SurveyKind = 'csat' | 'nps' | 'ces';
const SCALES: Record<SurveyKind, [number, number]> = { csat: [1, 5], nps: [0, 10], ces: [1, 7] };
export const scaleOf = (kind: SurveyKind) => SCALES[kind];
export const COMMENT_MAX = 2000;
/** How long after answering the follow-up comment is still taken. */
const COMMENT_WINDOW_MS = 24 * 3_600_000;

/** A score worth reading the comment of for themes: CSAT 1–3, NPS detractors 0–6, CES 1–3. */
export const isNegative = (kind: SurveyKind, score: number) => (kind === 'nps' ? score <= 6 : score <= 3);

/**
 * A survey link's token: the invitation and the score, sealed (AES-GCM) under the install's key, so a
 * link cannot be forged or edited; expiry and single use are kept on the invitation row.
 */
export const surveyToken = (box: SecretBox, invitationId: string, score: number) =>
  box.seal(JSON.stringify({ i: invitationId, s: score }));

function openToken(box: SecretBox, token: string): { invitationId: string; score: number } | undefined {
  try {
    const parsed = JSON.parse(box.open(token)) as { i?: unknown; s?: unknown };
    if (typeof parsed.i !== 'string' || typeof parsed.s !== 'number') return undefined;
    return { invitationId: parsed.i, score: parsed.s };
  } catch {
    return undefined;
  }
}

export type NewInvitation = {
  workspaceId: string;
  kind: SurveyKind;
  ticketId?: string | null;
  customerId: string | null;
  agentId?: string | null;
  campaignId?: string | null;
  email: string | null;
  ttlHours: number;
};

/** Creates a survey invitation valid for `ttlHours`, marked sent now (its email is queued in the same transaction). */
export async function createInvitation(db: Db, input: NewInvitation, now: Date) {
  const [invitation] = await db
    .insert(surveyInvitations)
    .values({
      workspaceId: input.workspaceId,
      kind: input.kind,
      ticketId: input.ticketId ?? null,
      customerId: input.customerId,
      agentId: input.agentId ?? null,
      campaignId: input.campaignId ?? null,
      email: input.email,
      sentAt: now,
      expiresAt: new Date(now.getTime() + input.ttlHours * 3_600_000),
    })
    .returning();
  return invitation!;
}

/** Creates the CSAT invitation of a ticket (its customer, its assignee); throws not_found for another workspace's ticket. */
export async function createCsatInvitation(
  db: Db,
  input: { workspaceId: string; ticketId: string; email?: string | null; ttlHours: number },
  now: Date,
) {
  const [ticket] = await db
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, input.ticketId), eq(tickets.workspaceId, input.workspaceId)));
  if (!ticket) throw notFound('Ticket');
  return createInvitation(
    db,
    {
      workspaceId: input.workspaceId,
      kind: 'csat',
      ticketId: ticket.id,
      customerId: ticket.customerId,
      agentId: ticket.assigneeId,
      email: input.email ?? null,
      ttlHours: input.ttlHours,
    },
    now,
  );
}

/** One signed link per score of the invitation's scale, under `baseUrl` (the public origin). */
export function surveyLinks(box: SecretBox, baseUrl: string, invitation: { id: string; kind: SurveyKind }) {
  const [low, high] = scaleOf(invitation.kind);
  return Array.from({ length: high - low + 1 }, (_, n) => low + n).map((score) => ({
    score,
    url: `${baseUrl.replace(/\/$/, '')}/feedback/survey?t=${encodeURIComponent(surveyToken(box, invitation.id, score))}`,
  }));
}

export type AnswerOutcome =
  | { status: 'recorded'; kind: SurveyKind; score: number }
  | { status: 'already_answered'; kind: SurveyKind; score: number; canComment: boolean }
  | { status: 'expired' | 'invalid' };

const commentOpen = (answeredAt: Date, comment: string | null, now: Date) =>
  comment === null && now.getTime() - answeredAt.getTime() < COMMENT_WINDOW_MS;

async function logOnTicket(
  tx: Db,
  workspaceId: string,
  ticketId: string | null,
  type: string,
  changes: object,
) {
  if (!ticketId) return;
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId));
  if (ticket) await logTicketEvent(tx, systemActor(workspaceId), ticket, type, { survey: changes });
}

type InvitationRow = typeof surveyInvitations.$inferSelect;
type ResponseRow = typeof surveyResponses.$inferSelect;

/** Marks the invitation answered and stores the score with its ticket, customer and agent, in `tx`. */
export async function recordAnswer(
  tx: Db,
  invitation: InvitationRow,
  score: number,
  source: string,
  now: Date,
) {
  await tx.update(surveyInvitations).set({ answeredAt: now }).where(eq(surveyInvitations.id, invitation.id));
  const [response] = await tx
    .insert(surveyResponses)
    .values({
      workspaceId: invitation.workspaceId,
      kind: invitation.kind,
      score,
      source,
      invitationId: invitation.id,
      ticketId: invitation.ticketId,
      customerId: invitation.customerId,
      agentId: invitation.agentId,
      answeredAt: now,
    })
    .returning();
  await logOnTicket(tx, invitation.workspaceId, invitation.ticketId, 'survey.answered', {
    kind: invitation.kind,
    score,
  });
  return response!;
}

/** Whether the answer still takes its one follow-up comment. */
export const takesComment = (response: ResponseRow, now: Date) =>
  commentOpen(response.answeredAt, response.comment, now);

/** Stores the follow-up comment of an answer, in `tx`; a negative score's comment becomes a feedback item. */
export async function addComment(tx: Db, response: ResponseRow, text: string, now: Date) {
  await tx
    .update(surveyResponses)
    .set({ comment: text })
    .where(and(eq(surveyResponses.id, response.id), isNull(surveyResponses.comment)));
  await logOnTicket(tx, response.workspaceId, response.ticketId, 'survey.commented', {
    kind: response.kind,
    score: response.score,
    comment: text,
  });
  if (isNegative(response.kind, response.score))
    await insertFeedbackItem(tx, {
      workspaceId: response.workspaceId,
      source: response.kind,
      body: text,
      rating: response.score,
      customerId: response.customerId,
      ticketId: response.ticketId,
      responseId: response.id,
      occurredAt: now,
    });
}

/**
 * Records the score a link carries, once: a second click, an expired or a forged link records nothing.
 * The answer lands on the ticket's history and carries its customer and agent, and names where it
 * was given: an email link, or the customer portal's rating form.
 */
export async function answerSurvey(
  db: Db,
  box: SecretBox,
  token: string,
  now: Date,
  source: 'email' | 'portal' = 'email',
): Promise<AnswerOutcome> {
  const opened = openToken(box, token);
  if (!opened) return { status: 'invalid' };
  return db.transaction(async (tx): Promise<AnswerOutcome> => {
    const [invitation] = await tx
      .select()
      .from(surveyInvitations)
      .where(eq(surveyInvitations.id, opened.invitationId))
      .for('update');
    if (!invitation) return { status: 'invalid' };
    const [low, high] = scaleOf(invitation.kind);
    if (!Number.isInteger(opened.score) || opened.score < low || opened.score > high)
      return { status: 'invalid' };
    if (invitation.answeredAt) {
      const [answer] = await tx
        .select()
        .from(surveyResponses)
        .where(eq(surveyResponses.invitationId, invitation.id));
      if (!answer) return { status: 'expired' };
      return {
        status: 'already_answered',
        kind: answer.kind,
        score: answer.score,
        canComment: commentOpen(answer.answeredAt, answer.comment, now),
      };
    }
    if (invitation.expiresAt <= now) return { status: 'expired' };
    await recordAnswer(tx, invitation, opened.score, source, now);
    return { status: 'recorded', kind: invitation.kind, score: opened.score };
  });
}

export type CommentOutcome = { status: 'recorded' | 'already_commented' | 'expired' | 'invalid' };

/**
 * Adds the optional comment to the answer a link recorded, once and within a day of the answer. A
 * negative score's comment also becomes a feedback item, where themes group it.
 */
export async function commentOnSurvey(
  db: Db,
  box: SecretBox,
  token: string,
  comment: string,
  now: Date,
): Promise<CommentOutcome> {
  const opened = openToken(box, token);
  if (!opened) return { status: 'invalid' };
  const text = comment.trim().slice(0, COMMENT_MAX);
  return db.transaction(async (tx): Promise<CommentOutcome> => {
    const [response] = await tx
      .select()
      .from(surveyResponses)
      .where(eq(surveyResponses.invitationId, opened.invitationId))
      .for('update');
    if (!response) return { status: 'invalid' };
    if (response.comment !== null) return { status: 'already_commented' };
    if (!commentOpen(response.answeredAt, response.comment, now)) return { status: 'expired' };
    // An empty form still closes the answer: nothing more is asked.
    if (!text) return { status: 'recorded' };
    await addComment(tx, response, text, now);
    return { status: 'recorded' };
  });
}
