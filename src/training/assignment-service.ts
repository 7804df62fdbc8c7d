// Feedback sessions: a lead assigns scenarios to agents and comments on their runs.
import { and, asc, desc, eq } from 'drizzle-orm';
import { memberships, trainingAssignments, trainingComments } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { getScenario, requireLead } from './scenario-service.ts';
import { agentScope, getSession } from './training-service.ts';

export type AssignmentRow = typeof trainingAssignments.$inferSelect;
export type CommentRow = typeof trainingComments.$inferSelect;

/** Assigns a scenario to an agent of the workspace; throws not_found for an unknown agent or scenario. */
export async function createAssignment(
  db: Db,
  actor: Actor,
  input: { scenarioKey: string; agentId: string; note?: string | undefined; dueAt?: Date | undefined },
): Promise<AssignmentRow> {
  requireLead(actor);
  await getScenario(db, actor, input.scenarioKey);
  return db.transaction(async (tx) => {
    const [agent] = await tx
      .select({ id: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.userId, input.agentId), eq(memberships.workspaceId, actor.workspaceId)));
    if (!agent) throw notFound('Agent');
    const [row] = await tx
      .insert(trainingAssignments)
      .values({
        workspaceId: actor.workspaceId,
        scenarioKey: input.scenarioKey,
        agentId: input.agentId,
        assignedByUserId: actor.userId,
        note: input.note ?? '',
        dueAt: input.dueAt ?? null,
      })
      .returning();
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'training.assignment.created',
      payload: {
        assignmentId: row!.id,
        scenarioKey: input.scenarioKey,
        agentId: input.agentId,
        actorId: actor.userId,
      },
    });
    return row!;
  });
}

/** Assignments, newest first: an agent sees their own; an admin anyone's. */
export async function listAssignments(db: Db, actor: Actor, filter: { agentId?: string | undefined }) {
  const agentId = agentScope(actor, filter.agentId);
  return db
    .select()
    .from(trainingAssignments)
    .where(
      and(
        eq(trainingAssignments.workspaceId, actor.workspaceId),
        agentId ? eq(trainingAssignments.agentId, agentId) : undefined,
      ),
    )
    .orderBy(desc(trainingAssignments.createdAt), desc(trainingAssignments.id));
}

/** A comment on a session, by a lead or the agent who ran it (a reply to the lead). */
export async function addComment(db: Db, actor: Actor, sessionId: string, body: string): Promise<CommentRow> {
  const session = await getSession(db, actor, sessionId);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(trainingComments)
      .values({ workspaceId: actor.workspaceId, sessionId, authorUserId: actor.userId, body })
      .returning();
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'training.comment.added',
      payload: { sessionId, commentId: row!.id, agentId: session.agentId, actorId: actor.userId },
    });
    return row!;
  });
}

export async function listComments(db: Db, actor: Actor, sessionId: string): Promise<CommentRow[]> {
  await getSession(db, actor, sessionId);
  return db
    .select()
    .from(trainingComments)
    .where(
      and(eq(trainingComments.sessionId, sessionId), eq(trainingComments.workspaceId, actor.workspaceId)),
    )
    .orderBy(asc(trainingComments.createdAt), asc(trainingComments.id));
}
