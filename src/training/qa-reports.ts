// What leads and agents read back from QA: calibration between reviewers and an agent's reviews, each
// labelled with its ticket's number and subject so the console needs no lookup per row.
import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import { qaReviews, tickets } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden } from '../platform/errors.ts';
import { type Calibration, calibrate, type Scores } from './qa-rubric.ts';
import { criteriaOf, getRubric, type ReviewRow } from './qa-service.ts';
import { agentScope } from './training-service.ts';

export type TicketLabel = { number: number; subject: string };

async function ticketLabels(db: Db, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, TicketLabel>();
  const rows = await db
    .select({ id: tickets.id, number: tickets.number, subject: tickets.subject })
    .from(tickets)
    .where(and(eq(tickets.workspaceId, workspaceId), inArray(tickets.id, ids)));
  return new Map(rows.map((r) => [r.id, { number: r.number, subject: r.subject }]));
}

const unlabelled: TicketLabel = { number: 0, subject: '' };

/** Reviews of an agent's work, newest first, with their ticket: agents see their own, admins anyone's. */
export async function listReviews(
  db: Db,
  actor: Actor,
  filter: { agentId?: string | undefined; limit?: number | undefined },
): Promise<(ReviewRow & { ticket: TicketLabel })[]> {
  const agentId = agentScope(actor, filter.agentId);
  const rows = await db
    .select()
    .from(qaReviews)
    .where(
      and(eq(qaReviews.workspaceId, actor.workspaceId), agentId ? eq(qaReviews.agentId, agentId) : undefined),
    )
    .orderBy(desc(qaReviews.createdAt), desc(qaReviews.id))
    .limit(filter.limit ?? 100);
  const labels = await ticketLabels(db, actor.workspaceId, [...new Set(rows.map((r) => r.ticketId))]);
  return rows.map((r) => ({ ...r, ticket: labels.get(r.ticketId) ?? unlabelled }));
}

export type TicketCalibration = Calibration & {
  ticketId: string;
  ticket: TicketLabel;
  /** Each reviewer's scores, so a lead sees who stood where. */
  reviews: { reviewerId: string; total: number; scores: Scores }[];
};

/** Tickets reviewed by two or more people on the rubric, with how far apart they were (admins). */
export async function rubricCalibration(db: Db, actor: Actor, rubricId: string) {
  if (actor.role !== 'admin') throw forbidden('Only admins see calibration');
  const rubric = await getRubric(db, actor.workspaceId, rubricId);
  const manual = await db
    .select()
    .from(qaReviews)
    .where(
      and(
        eq(qaReviews.rubricId, rubric.id),
        eq(qaReviews.workspaceId, actor.workspaceId),
        isNotNull(qaReviews.reviewerId),
        eq(qaReviews.automatic, false),
      ),
    )
    .orderBy(asc(qaReviews.ticketId), asc(qaReviews.createdAt));
  const byTicket = new Map<string, ReviewRow[]>();
  for (const review of manual)
    byTicket.set(review.ticketId, [...(byTicket.get(review.ticketId) ?? []), review]);
  const compared = [...byTicket].filter(([, reviews]) => reviews.length >= 2);
  const labels = await ticketLabels(
    db,
    actor.workspaceId,
    compared.map(([ticketId]) => ticketId),
  );
  const items: TicketCalibration[] = compared.map(([ticketId, reviews]) => ({
    ticketId,
    ticket: labels.get(ticketId) ?? unlabelled,
    reviews: reviews.map((r) => ({ reviewerId: r.reviewerId!, total: r.total, scores: r.scores })),
    ...calibrate(
      criteriaOf(rubric),
      reviews.map((r) => r.scores),
    ),
  }));
  const disagreeing = items.filter((i) => i.disagree).length;
  return {
    rubricId: rubric.id,
    tickets: items,
    disagreeing,
    agreement: items.length ? Math.round((100 * (items.length - disagreeing)) / items.length) : null,
  };
}
