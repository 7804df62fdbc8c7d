import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { agentProfiles, memberships, teamMembers, tickets, users } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';

export type RouteRequest = {
  strategy: string;
  /** Only members of this team; every agent of the workspace when null. */
  teamId: string | null;
  /** What the ticket needs (its tags, its language); the skills strategy prefers agents with most of them. */
  wanted: string[];
};

type Candidate = { userId: string; load: number; skills: string[]; lastAssignedAt: Date | null };

// Tickets an agent is still working on count towards capacity and load.
const working = ['new', 'open', 'pending', 'on_hold'] as const;

/** The open tickets the member of the query's `memberships` row holds: routing's load and capacity. */
export const openTicketCount = (workspaceId: string) =>
  sql<number>`(SELECT count(*)::int FROM ${tickets} t WHERE t.workspace_id = ${workspaceId}
    AND t.assignee_id = ${memberships.userId} AND t.status IN ${working})`;

/**
 * Reads routing's view of the agents: online, enabled, not light, under capacity, with their open
 * ticket count. From the tables directly: routing runs inside the relay's transaction with no signed-in actor.
 */
async function candidates(tx: Db, workspaceId: string, teamId: string | null): Promise<Candidate[]> {
  const load = openTicketCount(workspaceId);
  const rows = await tx
    .select({
      userId: memberships.userId,
      load,
      capacity: agentProfiles.capacity,
      status: agentProfiles.status,
      skills: agentProfiles.skills,
      lastAssignedAt: agentProfiles.lastAssignedAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(
      agentProfiles,
      and(eq(agentProfiles.workspaceId, workspaceId), eq(agentProfiles.userId, memberships.userId)),
    )
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        ne(memberships.role, 'light'),
        isNull(users.disabledAt),
        teamId
          ? inArray(
              memberships.userId,
              tx
                .select({ id: teamMembers.userId })
                .from(teamMembers)
                .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.workspaceId, workspaceId))),
            )
          : undefined,
      ),
    );
  return rows
    .filter(
      (row) => (row.status ?? 'online') === 'online' && (row.capacity === null || row.load < row.capacity),
    )
    .map((row) => ({
      userId: row.userId,
      load: Number(row.load),
      skills: (row.skills ?? []).map((skill) => skill.toLowerCase()),
      lastAssignedAt: row.lastAssignedAt,
    }));
}

const longestWaiting = (a: Candidate, b: Candidate) =>
  (a.lastAssignedAt?.getTime() ?? 0) - (b.lastAssignedAt?.getTime() ?? 0) || a.userId.localeCompare(b.userId);
const leastLoaded = (a: Candidate, b: Candidate) => a.load - b.load || longestWaiting(a, b);

/** Orders candidates for one strategy; pure, so tests can check tie-breaks without a database. */
export function rankAgents(list: Candidate[], request: RouteRequest): Candidate[] {
  if (request.strategy === 'round_robin') return [...list].sort(longestWaiting);
  if (request.strategy === 'least_loaded') return [...list].sort(leastLoaded);
  const wanted = new Set(request.wanted.map((skill) => skill.toLowerCase()));
  const score = (c: Candidate) => c.skills.filter((skill) => wanted.has(skill)).length;
  // Nobody with a matching skill: no guess, the ticket stays where it is.
  return list.filter((c) => score(c) > 0).sort((a, b) => score(b) - score(a) || leastLoaded(a, b));
}

/**
 * The agent a routing action gives the ticket to, or null when nobody is available under capacity.
 * Marks the pick as assigned now, so round robin moves on to the next agent.
 */
export async function pickAgent(tx: Db, workspaceId: string, request: RouteRequest): Promise<string | null> {
  const [best] = rankAgents(await candidates(tx, workspaceId, request.teamId), request);
  if (!best) return null;
  await tx
    .insert(agentProfiles)
    .values({ workspaceId, userId: best.userId, lastAssignedAt: sql`clock_timestamp()` })
    .onConflictDoUpdate({
      target: [agentProfiles.workspaceId, agentProfiles.userId],
      set: { lastAssignedAt: sql`clock_timestamp()` },
    });
  return best.userId;
}
