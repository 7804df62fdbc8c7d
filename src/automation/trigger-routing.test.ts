import { beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser } from '../../test/support/factories.ts';
import type { TriggerAction } from '../db/schema/index.ts';
import { agentProfiles } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import { createTeam } from '../teams/team-service.ts';
import { rankAgents } from './trigger-routing.ts';
import { createTrigger } from './trigger-service.ts';
import { triggerWorld } from './trigger-test-world.ts';

describe('rankAgents', () => {
  const agent = (userId: string, load: number, skills: string[] = [], last: number | null = null) => ({
    userId,
    load,
    skills,
    lastAssignedAt: last === null ? null : new Date(last),
  });
  const list = [
    agent('a', 3, ['billing'], 200),
    agent('b', 1, [], 100),
    agent('c', 1, ['billing', 'fr'], null),
  ];
  const ids = (strategy: string, wanted: string[] = []) =>
    rankAgents(list, { strategy, teamId: null, wanted }).map((c) => c.userId);

  it('orders round robin by who waited longest, never-assigned first', () => {
    expect(ids('round_robin')).toEqual(['c', 'b', 'a']);
  });
  it('orders least loaded by open tickets, then by who waited longest', () => {
    expect(ids('least_loaded')).toEqual(['c', 'b', 'a']);
  });
  it('prefers the most matching skills and leaves out agents with none', () => {
    expect(ids('skills', ['Billing', 'FR'])).toEqual(['c', 'a']);
    expect(ids('skills', ['de'])).toEqual([]);
  });
});

describeEachDatabase('trigger routing', (kind: DatabaseKind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  /** A workspace with a team of three agents and a trigger routing every new ticket of that team. */
  async function routed(route: TriggerAction) {
    const w = await triggerWorld(database);
    const agents = [];
    for (let n = 0; n < 3; n++) agents.push(await makeUser(database.db, w.workspace.id, 'agent'));
    const team = await createTeam(database.db, w.admin.actor, {
      name: 'Support',
      memberIds: agents.map((a) => a.id),
    });
    await createTrigger(database.db, w.admin.actor, {
      name: 'Route',
      events: ['ticket.created'],
      conditions: { all: [{ field: 'assigneeId', op: 'absent' }] },
      actions: [route],
    });
    const profile = (userId: string, values: Partial<typeof agentProfiles.$inferInsert>) =>
      database.db
        .insert(agentProfiles)
        .values({ workspaceId: w.workspace.id, userId, ...values })
        .onConflictDoUpdate({ target: [agentProfiles.workspaceId, agentProfiles.userId], set: values });
    const open = async (extra: Parameters<typeof makeTicket>[2] = {}) => {
      const ticket = await makeTicket(database.db, w.admin.actor, { teamId: team.id, ...extra });
      await w.relay.drain();
      return (await w.ticketNow(ticket.id)).assigneeId;
    };
    return { ...w, agents, team, profile, open };
  }

  it('round robin deals tickets to each available agent in turn, skipping the unavailable one', async () => {
    const w = await routed({ type: 'route', strategy: 'round_robin' });
    const [a, b, c] = w.agents.map((agent) => agent.id) as [string, string, string];
    await w.profile(c, { status: 'offline' });
    const picks = [await w.open(), await w.open(), await w.open(), await w.open()];
    expect(new Set(picks.slice(0, 2))).toEqual(new Set([a, b]));
    // The third goes back to whoever got the first: dealt in turn, never to the unavailable agent.
    expect(picks[2]).toBe(picks[0]);
    expect(picks[3]).toBe(picks[1]);
    expect(picks).not.toContain(c);
    // Already assigned: the rule's condition keeps routing away.
    const mine = await makeTicket(database.db, w.admin.actor, { teamId: w.team.id, assigneeId: a });
    await w.relay.drain();
    expect(await w.audit(mine.id)).toEqual([]);
  });

  it('least loaded gives the ticket to the agent with fewest open tickets, within capacity', async () => {
    const w = await routed({ type: 'route', strategy: 'least_loaded' });
    const [a, b, c] = w.agents.map((agent) => agent.id) as [string, string, string];
    for (const assignee of [a, a, b]) await makeTicket(database.db, w.admin.actor, { assigneeId: assignee });
    // c has no open ticket but can take none; b has one, a has two.
    await w.profile(c, { capacity: 0 });
    expect(await w.open()).toBe(b);
    // Now a and b have two each: the one who waited longest (a) is next.
    expect(await w.open()).toBe(a);
    // a has three, b two: with a capacity of three only b can take one more, then nobody.
    await w.profile(a, { capacity: 3 });
    await w.profile(b, { capacity: 3 });
    expect(await w.open()).toBe(b);
    expect(await w.open()).toBeNull();
  });

  it('skills-based prefers the agent whose skills match the tags and language, else leaves it', async () => {
    const w = await routed({ type: 'route', strategy: 'skills' });
    const [a, b, c] = w.agents.map((agent) => agent.id) as [string, string, string];
    await w.profile(a, { skills: ['billing'] });
    await w.profile(b, { skills: ['Billing', 'refunds'] });
    await w.profile(c, { skills: ['refunds'], status: 'away' });
    expect(await w.open({ tags: ['billing', 'refunds'] })).toBe(b);
    expect(await w.open({ tags: ['billing'] })).toBe(a);
    // Only the unavailable agent knows refunds: nobody is picked.
    await w.profile(b, { status: 'offline' });
    expect(await w.open({ tags: ['refunds'] })).toBeNull();
    expect(await w.open({ tags: ['shipping'] })).toBeNull();
  });

  it('routes within the named team and not to its light member', async () => {
    const w = await routed({ type: 'route', strategy: 'least_loaded' });
    const light = await makeUser(database.db, w.workspace.id, 'light');
    const outsider = await makeUser(database.db, w.workspace.id, 'agent');
    const other = await createTeam(database.db, w.admin.actor, {
      name: 'Other',
      memberIds: [light.id, outsider.id],
    });
    await createTrigger(database.db, w.admin.actor, {
      name: 'Route other',
      position: -1,
      events: ['ticket.created'],
      conditions: { all: [{ field: 'tag', op: 'is', value: 'other' }] },
      actions: [{ type: 'route', strategy: 'least_loaded', teamId: other.id }],
    });
    expect(await w.open({ tags: ['other'] })).toBe(outsider.id);
  });
});
