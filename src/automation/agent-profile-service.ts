import { and, asc, eq, isNull } from 'drizzle-orm';
import { agentProfiles, type agentStatuses, memberships, users } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { normaliseTag } from '../tags/tag-service.ts';
import { openTicketCount } from './trigger-routing.ts';

export type AgentStatus = (typeof agentStatuses)[number];
export type AgentProfile = {
  userId: string;
  name: string;
  role: string;
  status: AgentStatus;
  capacity: number | null;
  skills: string[];
  openTickets: number;
  lastAssignedAt: Date | null;
};
export type ProfilePatch = {
  status?: AgentStatus | undefined;
  capacity?: number | null | undefined;
  skills?: string[] | undefined;
};

/** The workspace's enabled members as routing sees them; members without a row are online and unlimited. */
export async function listAgentProfiles(db: Db, actor: Actor, userId?: string): Promise<AgentProfile[]> {
  const rows = await db
    .select({
      userId: memberships.userId,
      name: users.name,
      role: memberships.role,
      status: agentProfiles.status,
      capacity: agentProfiles.capacity,
      skills: agentProfiles.skills,
      openTickets: openTicketCount(actor.workspaceId),
      lastAssignedAt: agentProfiles.lastAssignedAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(
      agentProfiles,
      and(
        eq(agentProfiles.workspaceId, memberships.workspaceId),
        eq(agentProfiles.userId, memberships.userId),
      ),
    )
    .where(
      and(
        eq(memberships.workspaceId, actor.workspaceId),
        isNull(users.disabledAt),
        userId ? eq(memberships.userId, userId) : undefined,
      ),
    )
    .orderBy(asc(users.name), asc(users.id));
  return rows.map((row) => ({
    ...row,
    status: row.status ?? 'online',
    skills: row.skills ?? [],
    openTickets: Number(row.openTickets),
  }));
}

async function profileOf(db: Db, actor: Actor, userId: string): Promise<AgentProfile> {
  const [profile] = await listAgentProfiles(db, actor, userId);
  if (!profile) throw notFound('Agent');
  return profile;
}

/**
 * Writes one member's profile and an `agent.profile_updated` event in one transaction; a status change
 * takes effect for the next routing decision. Throws notFound for someone outside the workspace.
 */
async function writeProfile(
  db: Db,
  actor: Actor,
  userId: string,
  patch: ProfilePatch,
): Promise<AgentProfile> {
  return db.transaction(async (tx) => {
    const before = await profileOf(tx, actor, userId);
    const values = {
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.capacity !== undefined && { capacity: patch.capacity }),
      ...(patch.skills !== undefined && { skills: [...new Set(patch.skills.map(normaliseTag))] }),
    };
    await tx
      .insert(agentProfiles)
      .values({ workspaceId: actor.workspaceId, userId, ...values })
      .onConflictDoUpdate({
        target: [agentProfiles.workspaceId, agentProfiles.userId],
        set: { ...values, updatedAt: new Date() },
      });
    const after = await profileOf(tx, actor, userId);
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'agent.profile_updated',
      payload: {
        userId,
        byUserId: actor.userId,
        status: after.status,
        capacity: after.capacity,
        skills: after.skills,
        previousStatus: before.status,
      },
    });
    return after;
  });
}

/** An agent says whether they take new tickets now (online) or not (away, offline). */
export async function setOwnStatus(db: Db, actor: Actor, status: AgentStatus): Promise<AgentProfile> {
  return writeProfile(db, actor, actor.userId, { status });
}

/** Admins set a member's capacity, skills (tags and language codes) and, when needed, status. */
export async function updateAgentProfile(
  db: Db,
  actor: Actor,
  userId: string,
  patch: ProfilePatch,
): Promise<AgentProfile> {
  if (actor.role !== 'admin') throw forbidden('Only admins set capacity and skills');
  return writeProfile(db, actor, userId, patch);
}
