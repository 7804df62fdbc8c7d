import { and, eq } from 'drizzle-orm';
import { surveyInvitations, surveyResponses, tickets } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import { feedbackSettingsOf } from './feedback-settings.ts';
import {
  addComment,
  COMMENT_MAX,
  createCsatInvitation,
  recordAnswer,
  takesComment,
} from './survey-service.ts';

export type ChatCsatOutcome = { status: 'recorded' | 'commented' | 'already_answered' | 'not_ended' };

/**
 * The CSAT answer given inside the chat widget once the agent ended the conversation: the score the
 * first time, then its optional comment (within a day). It uses the ticket's CSAT invitation (created
 * here when none was sent yet), so the same ticket is never surveyed again by email. The caller has
 * checked that the visitor owns the conversation.
 */
export async function answerCsatInChat(
  db: Db,
  input: { workspaceId: string; ticketId: string; score: number; comment?: string | null | undefined },
  now: Date,
): Promise<ChatCsatOutcome> {
  const text = input.comment?.trim().slice(0, COMMENT_MAX) ?? '';
  return db.transaction(async (tx): Promise<ChatCsatOutcome> => {
    const [ticket] = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, input.ticketId), eq(tickets.workspaceId, input.workspaceId)))
      .for('update');
    if (!ticket || (ticket.status !== 'solved' && ticket.status !== 'closed')) return { status: 'not_ended' };
    const [existing] = await tx
      .select()
      .from(surveyInvitations)
      .where(and(eq(surveyInvitations.ticketId, ticket.id), eq(surveyInvitations.kind, 'csat')));
    if (existing?.answeredAt) {
      const [response] = await tx
        .select()
        .from(surveyResponses)
        .where(eq(surveyResponses.invitationId, existing.id));
      if (!response || !text || !takesComment(response, now)) return { status: 'already_answered' };
      await addComment(tx, response, text, now);
      return { status: 'commented' };
    }
    const settings = await feedbackSettingsOf(tx, input.workspaceId);
    const invitation =
      existing ??
      (await createCsatInvitation(
        tx,
        { workspaceId: input.workspaceId, ticketId: ticket.id, ttlHours: settings.linkTtlHours },
        now,
      ));
    const response = await recordAnswer(tx, invitation, input.score, 'chat', now);
    if (text) await addComment(tx, response, text, now);
    return { status: 'recorded' };
  });
}
