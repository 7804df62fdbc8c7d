import { and, eq, type SQL, sql } from 'drizzle-orm';
import { createCompany, listCompanies } from '../companies/company-service.ts';
import { createCustomer, searchCustomers } from '../customers/customer-service.ts';
import {
  companies,
  memberships,
  teams,
  ticketEvents,
  tickets,
  users,
  workspaces,
} from '../db/schema/index.ts';
import { type Actor, systemActor } from '../platform/auth/actor.ts';
import { type Clock, systemClock } from '../platform/clock.ts';
import { randomToken } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import { createTeam, listTeams } from '../teams/team-service.ts';
import { addMessage } from '../tickets/message-service.ts';
import type { TicketRow } from '../tickets/ticket-records.ts';
import { createTicket, type TicketPatch, updateTicket } from '../tickets/ticket-service.ts';
import { createUser } from '../users/user-service.ts';
import { demoAgents, demoCompanies, demoCustomers, demoTeams, type TeamKey } from './demo-data.ts';
import { type PlannedPatch, type PlannedTicket, planDemo } from './demo-plan.ts';

export const DEMO_EMAIL_DOMAIN = 'demo.rapport.test';

export type DemoSeedOptions = {
  workspaceId: string;
  /** "Now" for the demo: tickets spread over the 60 days before it. */
  clock?: Clock | undefined;
  /** The same seed gives the same customers, subjects and conversations. */
  seed?: number | undefined;
  /** Password of the demo agents; a random one when absent (it is returned). */
  password?: string | undefined;
};

export type DemoSeedResult = {
  agents: { name: string; email: string; created: boolean }[];
  password: string;
  teams: number;
  customers: number;
  tickets: number;
  messages: number;
};

type Ctx = {
  workspaceId: string;
  agents: Actor[];
  teamIds: Record<TeamKey, string>;
  customerIds: string[];
};

const iso = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/**
 * Fills a workspace with a living helpdesk: 3 agents, 2 teams, 60 customers and 300 tickets over the
 * last 60 days, written through the real services (so view counters, history and outbox are right),
 * then moved back in time. Running it again on the same workspace reuses the agents, teams and
 * customers it made and adds another 300 tickets. Throws not_found for an unknown workspace.
 */
export async function seedDemoWorkspace(db: Db, options: DemoSeedOptions): Promise<DemoSeedResult> {
  const now = (options.clock ?? systemClock).now();
  const [workspace] = await db.select().from(workspaces).where(eq(workspaces.id, options.workspaceId));
  if (!workspace) throw notFound('Workspace');
  const plan = planDemo({ seed: options.seed ?? 1, now });
  const password = options.password ?? randomToken(12);
  // User emails are unique across the install, so a second demo workspace gets its own subdomain.
  const domain = workspace.slug === 'default' ? DEMO_EMAIL_DOMAIN : `${workspace.slug}.${DEMO_EMAIL_DOMAIN}`;
  const since = (days: number) => new Date(now.getTime() - days * 24 * 3_600_000);

  const { agents, results } = await ensureAgents(db, workspace.id, domain, password, since);
  const lead = agents[0]!;
  const teamIds = await ensureTeams(db, lead, agents, since(110));
  const companyIds = await ensureCompanies(db, lead, since(100));
  const customerIds = await ensureCustomers(db, lead, companyIds, plan.customerSince);

  const ctx: Ctx = { workspaceId: workspace.id, agents, teamIds, customerIds };
  let messageCount = 0;
  // One transaction per ticket (the services' own become savepoints): a ticket appears whole, already
  // moved back in time, and a commit per ticket instead of per call keeps the seeding fast.
  for (const planned of plan.tickets) {
    messageCount += await db.transaction((tx) => seedTicket(tx, ctx, planned));
  }

  return {
    agents: results,
    password,
    teams: demoTeams.length,
    customers: customerIds.length,
    tickets: plan.tickets.length,
    messages: messageCount,
  };
}

async function ensureAgents(
  db: Db,
  workspaceId: string,
  domain: string,
  password: string,
  since: (days: number) => Date,
) {
  const agents: Actor[] = [];
  const results: DemoSeedResult['agents'] = [];
  for (const [i, agent] of demoAgents.entries()) {
    const email = `${agent.login}@${domain}`;
    const [member] = await db
      .select({ id: users.id })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, workspaceId)))
      .where(eq(users.email, email));
    const id =
      member?.id ??
      (await createUser(db, { workspaceId, email, name: agent.name, password, role: 'agent' })).id;
    agents.push({ userId: id, workspaceId, role: 'agent' });
    results.push({ name: agent.name, email, created: !member });
    if (!member) {
      // They joined before the first demo ticket came in.
      const joined = since(120 - i * 10);
      await db.update(users).set({ createdAt: joined }).where(eq(users.id, id));
      await db
        .update(memberships)
        .set({ createdAt: joined })
        .where(and(eq(memberships.userId, id), eq(memberships.workspaceId, workspaceId)));
    }
  }
  return { agents, results };
}

async function ensureTeams(db: Db, lead: Actor, agents: Actor[], createdAt: Date) {
  const existing = await listTeams(db, lead);
  const teamIds = {} as Record<TeamKey, string>;
  for (const team of demoTeams) {
    const found = existing.find((t) => t.name === team.name);
    if (found) {
      teamIds[team.key] = found.id;
      continue;
    }
    const memberIds = demoAgents.flatMap((agent, i) =>
      agent.teams.includes(team.key) ? [agents[i]!.userId] : [],
    );
    const created = await createTeam(db, lead, { name: team.name, description: team.description, memberIds });
    await db.update(teams).set({ createdAt }).where(eq(teams.id, created.id));
    teamIds[team.key] = created.id;
  }
  return teamIds;
}

async function ensureCompanies(db: Db, lead: Actor, createdAt: Date) {
  const companyIds: Record<string, string> = {};
  for (const company of demoCompanies) {
    const found = (await listCompanies(db, lead, company.name)).find((c) => c.name === company.name);
    if (found) {
      companyIds[company.key] = found.id;
      continue;
    }
    const created = await createCompany(db, lead, {
      name: company.name,
      domain: company.domain,
      notes: company.notes,
    });
    await db.update(companies).set({ createdAt, updatedAt: createdAt }).where(eq(companies.id, created.id));
    companyIds[company.key] = created.id;
  }
  return companyIds;
}

async function ensureCustomers(
  db: Db,
  lead: Actor,
  companyIds: Record<string, string>,
  customerSince: Date[],
): Promise<string[]> {
  const customerIds: string[] = [];
  const created: { id: string; since: Date }[] = [];
  for (const [i, customer] of demoCustomers.entries()) {
    const found = (await searchCustomers(db, lead, { email: customer.email, limit: 1 })).data[0];
    const id =
      found?.id ??
      (
        await createCustomer(db, lead, {
          name: customer.name,
          companyId: customer.company ? companyIds[customer.company] : null,
          language: customer.language,
          timeZone: customer.timeZone,
          tags: customer.tags,
          notes: customer.notes,
          identities: [
            { kind: 'email', value: customer.email },
            ...(customer.phone ? [{ kind: 'phone' as const, value: customer.phone }] : []),
          ],
        })
      ).id;
    customerIds.push(id);
    if (!found) created.push({ id, since: customerSince[i]! });
  }
  await backdateCustomers(db, created);
  return customerIds;
}

async function backdateCustomers(db: Db, rows: { id: string; since: Date }[]) {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map((row) => sql`(${row.id}::uuid, ${iso(row.since)})`),
    sql`, `,
  );
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`UPDATE customers SET created_at = v.at, updated_at = v.at FROM (VALUES ${values}) AS v(id, at) WHERE customers.id = v.id`,
    );
    await tx.execute(
      sql`UPDATE customer_identities SET created_at = v.at FROM (VALUES ${values}) AS v(id, at) WHERE customer_identities.customer_id = v.id`,
    );
  });
}

/** One service call of a ticket's history, with the time it should appear to have happened. */
type Done = {
  at: Date;
  before: TicketRow | undefined;
  after: TicketRow;
  messageId: string | undefined;
  /** The newest history row of the ticket once this call returned. */
  lastEventId: number;
  activity: boolean;
};

function toPatch(ctx: Ctx, patch: PlannedPatch): TicketPatch {
  return {
    ...(patch.assignee !== undefined && { assigneeId: ctx.agents[patch.assignee]!.userId }),
    ...(patch.team && { teamId: ctx.teamIds[patch.team] }),
    ...(patch.priority && { priority: patch.priority }),
    ...(patch.status && { status: patch.status }),
    ...(patch.addTags && { addTags: patch.addTags }),
  };
}

async function lastEventId(db: Db, ticketId: string): Promise<number> {
  const [row] = await db
    .select({ id: sql<number>`coalesce(max(${ticketEvents.id}), 0)` })
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, ticketId));
  return Number(row?.id ?? 0);
}

/** Creates one ticket and plays its history through the services; returns how many messages it has. */
async function seedTicket(db: Db, ctx: Ctx, planned: PlannedTicket): Promise<number> {
  const customerActor = systemActor(ctx.workspaceId);
  let ticket = await createTicket(db, customerActor, {
    subject: planned.subject,
    customer: { id: ctx.customerIds[planned.customer]! },
    message: { body: planned.body, kind: 'customer_message' },
    channel: planned.channel,
    priority: planned.priority,
    tags: planned.tags,
    teamId: planned.team ? ctx.teamIds[planned.team] : null,
  });
  const done: Done[] = [
    {
      at: planned.createdAt,
      before: undefined,
      after: ticket,
      messageId: undefined,
      lastEventId: await lastEventId(db, ticket.id),
      activity: true,
    },
  ];
  for (const step of planned.steps) {
    const before = ticket;
    let messageId: string | undefined;
    if (step.type === 'message') {
      const actor = step.agent === null ? customerActor : ctx.agents[step.agent]!;
      const added = await addMessage(db, actor, ticket.id, {
        kind: step.kind,
        body: step.body,
        status: step.status,
      });
      ticket = added.ticket;
      messageId = added.message.id;
    } else {
      ticket = await updateTicket(db, ctx.agents[step.agent]!, ticket.id, toPatch(ctx, step.patch));
    }
    done.push({
      at: step.at,
      before,
      after: ticket,
      messageId,
      lastEventId: await lastEventId(db, ticket.id),
      activity: step.type === 'message',
    });
  }
  await backdateTicket(db, ticket, done);
  return done.filter((d) => d.activity).length;
}

/**
 * Moves one ticket's history to its planned times, inside the ticket's transaction. Each timestamp takes
 * the time of the service call that set it, so the ticket reads as the services would have written it
 * back then. View counters stay right: they depend on status, assignee and team, which this leaves alone.
 */
async function backdateTicket(db: Db, ticket: TicketRow, done: Done[]) {
  const first = done[0]!;
  const last = done.at(-1)!;
  const lastActivity = done.filter((d) => d.activity).at(-1)!.at;
  const firstResponse = done.find(
    (d) => d.before && !d.before.firstResponseAt && d.after.firstResponseAt,
  )?.at;
  const movedInto = (status: TicketRow['status']) =>
    done.filter((d) => d.after.status === status && d.before?.status !== status).at(-1)?.at;

  const messageTimes: SQL[] = done.flatMap((d) =>
    d.messageId ? [sql`WHEN ${d.messageId}::uuid THEN ${iso(d.at)}`] : [],
  );
  const eventTimes: SQL[] = done.map((d) => sql`WHEN id <= ${d.lastEventId} THEN ${iso(d.at)}`);

  await db
    .update(tickets)
    .set({
      createdAt: first.at,
      updatedAt: last.at,
      lastActivityAt: lastActivity,
      firstResponseAt: ticket.firstResponseAt ? (firstResponse ?? lastActivity) : null,
      solvedAt: ticket.solvedAt ? (movedInto('solved') ?? last.at) : null,
      closedAt: ticket.closedAt ? (movedInto('closed') ?? last.at) : null,
    })
    .where(eq(tickets.id, ticket.id));
  // The opening message is the only one createTicket wrote, so it is the one without a known id.
  await db.execute(
    messageTimes.length
      ? sql`UPDATE messages SET created_at = CASE id ${sql.join(messageTimes, sql` `)} ELSE ${iso(first.at)} END WHERE ticket_id = ${ticket.id}`
      : sql`UPDATE messages SET created_at = ${iso(first.at)} WHERE ticket_id = ${ticket.id}`,
  );
  await db.execute(
    sql`UPDATE ticket_events SET created_at = CASE ${sql.join(eventTimes, sql` `)} ELSE ${iso(last.at)} END WHERE ticket_id = ${ticket.id}`,
  );
}
