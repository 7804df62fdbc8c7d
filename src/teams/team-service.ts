import { and, asc, eq, inArray } from 'drizzle-orm';
import { memberships, teamMembers, teams } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, isUniqueViolation } from '../platform/db/database.ts';
import { conflict, invalid, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { forgetViewCounts } from '../tickets/ticket-counts.ts';

export type Team = { id: string; name: string; description: string; memberIds: string[]; createdAt: Date };

async function withMembers(db: Db, rows: (typeof teams.$inferSelect)[]): Promise<Team[]> {
  const members = rows.length
    ? await db
        .select()
        .from(teamMembers)
        .where(
          inArray(
            teamMembers.teamId,
            rows.map((t) => t.id),
          ),
        )
    : [];
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    createdAt: t.createdAt,
    memberIds: members.filter((m) => m.teamId === t.id).map((m) => m.userId),
  }));
}

export async function listTeams(db: Db, actor: Actor): Promise<Team[]> {
  const rows = await db
    .select()
    .from(teams)
    .where(eq(teams.workspaceId, actor.workspaceId))
    .orderBy(asc(teams.name));
  return withMembers(db, rows);
}

export async function getTeam(db: Db, actor: Actor, teamId: string): Promise<Team> {
  const rows = await db
    .select()
    .from(teams)
    .where(and(eq(teams.id, teamId), eq(teams.workspaceId, actor.workspaceId)));
  if (rows.length === 0) throw notFound('Team');
  return (await withMembers(db, rows))[0]!;
}

/** Replaces the member list; every member must belong to the workspace. */
async function setMembers(tx: Db, workspaceId: string, teamId: string, userIds: string[]) {
  const unique = [...new Set(userIds)];
  if (unique.length) {
    const found = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.userId, unique)));
    if (found.length !== unique.length) {
      throw invalid('Every team member must be a user of this workspace', [
        { path: 'memberIds', message: 'unknown user' },
      ]);
    }
  }
  await tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  if (unique.length)
    await tx.insert(teamMembers).values(unique.map((userId) => ({ teamId, userId, workspaceId })));
}

export async function createTeam(
  db: Db,
  actor: Actor,
  input: { name: string; description?: string | undefined; memberIds?: string[] | undefined },
): Promise<Team> {
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(teams)
      .values({
        workspaceId: actor.workspaceId,
        name: input.name.trim(),
        description: input.description ?? '',
      })
      .onConflictDoNothing()
      .returning({ id: teams.id });
    if (!row) throw conflict(`A team named ${input.name} exists`);
    await setMembers(tx, actor.workspaceId, row.id, input.memberIds ?? []);
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'team.created',
      payload: { id: row.id, actorId: actor.userId },
    });
    return row.id;
  });
  return getTeam(db, actor, id);
}

export async function updateTeam(
  db: Db,
  actor: Actor,
  teamId: string,
  patch: { name?: string | undefined; description?: string | undefined; memberIds?: string[] | undefined },
): Promise<Team> {
  await db.transaction(async (tx) => {
    await getTeam(tx, actor, teamId);
    if (patch.name !== undefined || patch.description !== undefined) {
      const renamed = await tx
        .update(teams)
        .set({
          ...(patch.name !== undefined && { name: patch.name.trim() }),
          ...(patch.description !== undefined && { description: patch.description }),
        })
        .where(eq(teams.id, teamId))
        .returning({ id: teams.id })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? conflict(`A team named ${patch.name} exists`) : error;
        });
      if (renamed.length === 0) throw notFound('Team');
    }
    if (patch.memberIds) await setMembers(tx, actor.workspaceId, teamId, patch.memberIds);
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'team.updated',
      payload: { id: teamId, actorId: actor.userId },
    });
  });
  return getTeam(db, actor, teamId);
}

/** Deleting a team leaves its tickets unassigned to any team (the foreign key sets null). */
export async function deleteTeam(db: Db, actor: Actor, teamId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(teams)
      .where(and(eq(teams.id, teamId), eq(teams.workspaceId, actor.workspaceId)))
      .returning({ id: teams.id });
    if (deleted.length === 0) throw notFound('Team');
    await forgetViewCounts(tx, actor.workspaceId, `team:${teamId}`);
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'team.deleted',
      payload: { id: teamId, actorId: actor.userId },
    });
  });
}
