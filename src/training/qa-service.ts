// QA scorecards on real conversations: rubrics, reviews of solved tickets, automatic suggestions,
// calibration between reviewers and a sampled review queue.
import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import { qaReviews, qaRubrics, tickets } from '../db/schema/index.ts';
import { getCoachRules } from '../intel/coach-service.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { getTicket, listMessages } from '../tickets/ticket-queries.ts';
import {
  type Criterion,
  calibrate,
  defaultCriteria,
  rubricTotal,
  type Scores,
  scoreProblems,
  suggestedScores,
} from './qa-rubric.ts';
import { ticketSignals } from './qa-signals.ts';

export type RubricRow = typeof qaRubrics.$inferSelect;
export type ReviewRow = typeof qaReviews.$inferSelect;
export const criteriaOf = (rubric: RubricRow) => rubric.criteria as Criterion[];
const DEFAULT_RUBRIC = 'Standard';

/** The workspace's active rubrics; a workspace with none gets the standard rubric on first use. */
export async function activeRubrics(db: Db, workspaceId: string): Promise<RubricRow[]> {
  const rows = await db
    .select()
    .from(qaRubrics)
    .where(eq(qaRubrics.workspaceId, workspaceId))
    .orderBy(asc(qaRubrics.name));
  if (rows.length > 0) return rows.filter((r) => r.active);
  await db
    .insert(qaRubrics)
    .values({ workspaceId, name: DEFAULT_RUBRIC, criteria: defaultCriteria })
    .onConflictDoNothing();
  return db
    .select()
    .from(qaRubrics)
    .where(and(eq(qaRubrics.workspaceId, workspaceId), eq(qaRubrics.active, true)));
}

export async function listRubrics(db: Db, actor: Actor): Promise<RubricRow[]> {
  await activeRubrics(db, actor.workspaceId);
  return db
    .select()
    .from(qaRubrics)
    .where(eq(qaRubrics.workspaceId, actor.workspaceId))
    .orderBy(asc(qaRubrics.name));
}

export async function getRubric(db: Db, workspaceId: string, id: string): Promise<RubricRow> {
  const [row] = await db
    .select()
    .from(qaRubrics)
    .where(and(eq(qaRubrics.id, id), eq(qaRubrics.workspaceId, workspaceId)));
  if (!row) throw notFound('Rubric');
  return row;
}

/** Saves a rubric (admins); criteria are validated by the route's schema. */
export async function saveRubric(
  db: Db,
  actor: Actor,
  input: { id?: string | undefined; name: string; criteria: Criterion[]; active?: boolean | undefined },
): Promise<RubricRow> {
  if (actor.role !== 'admin') throw forbidden('Only admins edit rubrics');
  return db.transaction(async (tx) => {
    const values = {
      name: input.name,
      criteria: input.criteria,
      active: input.active ?? true,
      updatedAt: new Date(),
    };
    const [row] = input.id
      ? await tx
          .update(qaRubrics)
          .set(values)
          .where(and(eq(qaRubrics.id, input.id), eq(qaRubrics.workspaceId, actor.workspaceId)))
          .returning()
      : await tx
          .insert(qaRubrics)
          .values({ ...values, workspaceId: actor.workspaceId })
          .returning();
    if (!row) throw notFound('Rubric');
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'qa.rubric.saved',
      payload: { rubricId: row.id, actorId: actor.userId },
    });
    return row;
  });
}

async function solvedTicket(db: Db, actor: Actor, ticketId: string) {
  const ticket = await getTicket(db, actor, ticketId);
  if (ticket.status !== 'solved' && ticket.status !== 'closed')
    throw invalidState('Only solved tickets are reviewed');
  return ticket;
}

/** Writes the automatic suggestion for each active rubric (replacing an older one); reads as `actor`. */
export async function preScoreTicket(db: Db, actor: Actor, ticketId: string): Promise<ReviewRow[]> {
  const ticket = await solvedTicket(db, actor, ticketId);
  const rows = await listMessages(db, actor, ticketId);
  const { rules } = await getCoachRules(db, actor);
  const signals = ticketSignals(
    rows.map((r) => ({ kind: r.message.kind, text: r.message.bodyText, at: r.message.createdAt })),
    ticket.status,
    rules,
  );
  const saved: ReviewRow[] = [];
  for (const rubric of await activeRubrics(db, actor.workspaceId)) {
    const scores = suggestedScores(criteriaOf(rubric), signals);
    const total = rubricTotal(criteriaOf(rubric), scores) ?? 0;
    const [row] = await db
      .insert(qaReviews)
      .values({
        workspaceId: actor.workspaceId,
        ticketId,
        rubricId: rubric.id,
        agentId: ticket.assigneeId,
        scores: scores as Record<string, number>,
        total,
        automatic: true,
      })
      .onConflictDoUpdate({
        target: [qaReviews.ticketId, qaReviews.rubricId],
        targetWhere: sql`automatic`,
        set: {
          scores: scores as Record<string, number>,
          total,
          agentId: ticket.assigneeId,
          updatedAt: new Date(),
        },
      })
      .returning();
    saved.push(row!);
  }
  return saved;
}

/**
 * A reviewer's scores for a solved ticket on a rubric (one review per reviewer, replaced on resubmit).
 * Nobody reviews their own ticket; bad scores are a validation problem.
 */
export async function submitReview(
  db: Db,
  actor: Actor,
  input: { ticketId: string; rubricId: string; scores: Scores; comment?: string | undefined },
): Promise<ReviewRow> {
  const ticket = await solvedTicket(db, actor, input.ticketId);
  if (ticket.assigneeId === actor.userId) throw forbidden('Reviewers do not review their own tickets');
  const rubric = await getRubric(db, actor.workspaceId, input.rubricId);
  const problems = scoreProblems(criteriaOf(rubric), input.scores);
  if (problems.length > 0)
    throw invalid(
      'The scores do not fit the rubric',
      problems.map((message) => ({ path: 'scores', message })),
    );
  const total = rubricTotal(criteriaOf(rubric), input.scores);
  if (total === null) throw invalid('Score at least one criterion');
  const scores = input.scores as Record<string, number>;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(qaReviews)
      .values({
        workspaceId: actor.workspaceId,
        ticketId: ticket.id,
        rubricId: rubric.id,
        reviewerId: actor.userId,
        agentId: ticket.assigneeId,
        scores,
        total,
        comment: input.comment ?? '',
      })
      .onConflictDoUpdate({
        target: [qaReviews.ticketId, qaReviews.rubricId, qaReviews.reviewerId],
        set: { scores, total, comment: input.comment ?? '', updatedAt: new Date() },
      })
      .returning();
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'qa.review.submitted',
      payload: {
        reviewId: row!.id,
        ticketId: ticket.id,
        agentId: ticket.assigneeId,
        total,
        actorId: actor.userId,
      },
    });
    return row!;
  });
}

/** A ticket's reviews, the automatic suggestion first (made now when missing), with calibration per rubric. */
export async function ticketReviews(db: Db, actor: Actor, ticketId: string) {
  const ticket = await solvedTicket(db, actor, ticketId);
  // Light agents see the reviews of their own tickets; agents and admins see all.
  if (actor.role === 'light' && ticket.assigneeId !== actor.userId) throw notFound('Ticket');
  let reviews = await reviewsOf(db, actor.workspaceId, [ticketId]);
  if (!reviews.some((r) => r.automatic)) {
    await preScoreTicket(db, actor, ticketId);
    reviews = await reviewsOf(db, actor.workspaceId, [ticketId]);
  }
  const rubrics = await listRubrics(db, actor);
  const calibration = rubrics.flatMap((rubric) => {
    const manual = reviews.filter((r) => r.rubricId === rubric.id && !r.automatic);
    return manual.length >= 2
      ? [
          {
            rubricId: rubric.id,
            ...calibrate(
              criteriaOf(rubric),
              manual.map((r) => r.scores),
            ),
          },
        ]
      : [];
  });
  return { reviews, calibration };
}

const reviewsOf = (db: Db, workspaceId: string, ticketIds: string[]) =>
  db
    .select()
    .from(qaReviews)
    .where(and(eq(qaReviews.workspaceId, workspaceId), inArray(qaReviews.ticketId, ticketIds)))
    .orderBy(desc(qaReviews.automatic), asc(qaReviews.createdAt), asc(qaReviews.id));

/**
 * A reproducible sample of solved tickets the reviewer has not reviewed (and did not handle), from the
 * last `days`: the same seed gives the same sample, a new seed another.
 */
export async function reviewQueue(
  db: Db,
  actor: Actor,
  input: { limit: number; seed: string; days: number; now: Date },
) {
  const since = new Date(input.now.getTime() - input.days * 86_400_000);
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      assigneeId: tickets.assigneeId,
      solvedAt: tickets.solvedAt,
    })
    .from(tickets)
    .where(
      and(
        eq(tickets.workspaceId, actor.workspaceId),
        inArray(tickets.status, ['solved', 'closed']),
        gte(tickets.solvedAt, since),
        sql`${tickets.assigneeId} IS DISTINCT FROM ${actor.userId}::uuid`,
        sql`NOT EXISTS (SELECT 1 FROM qa_reviews r WHERE r.ticket_id = ${tickets.id} AND r.reviewer_id = ${actor.userId}::uuid)`,
      ),
    )
    .orderBy(sql`md5(${tickets.id}::text || ${input.seed})`)
    .limit(input.limit);
}
