import { and, asc, eq, or, type SQL, sql } from 'drizzle-orm';
import { type SlaFilterState, slaStateFilter } from '../automation/sla-summary-service.ts';
import {
  customers,
  intelTicketSentiments,
  messages,
  ticketEvents,
  ticketLinks,
  tickets,
  users,
} from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { invalid, notFound } from '../platform/errors.ts';
import type { TicketStatus } from './ticket-counts.ts';
import type { LinkKind } from './ticket-merge.ts';
import type { TicketRow } from './ticket-records.ts';
import type { Channel, Priority } from './ticket-service.ts';

export const moodLabels = ['negative', 'neutral', 'positive'] as const;
export const moodTrends = ['improving', 'steady', 'worsening'] as const;
/** The ticket's mood as intelligence stored it after the customer's latest message; null before any. */
export type TicketMood = {
  label: (typeof moodLabels)[number];
  trend: (typeof moodTrends)[number];
  frustration: number;
  urgency: number;
};
export type TicketWithCustomer = TicketRow & {
  customer: { id: string; name: string; email: string | null };
  mood: TicketMood | null;
};

const primaryEmail = sql<
  string | null
>`(SELECT ci.value FROM customer_identities ci WHERE ci.customer_id = ${tickets.customerId} AND ci.kind = 'email' ORDER BY ci.created_at LIMIT 1)`;

// The mood is a summary row kept by intelligence, joined like the customer's name: one page, one query.
const withCustomer = {
  ticket: tickets,
  customerName: customers.name,
  customerEmail: primaryEmail,
  mood: {
    label: intelTicketSentiments.label,
    trend: intelTicketSentiments.trend,
    frustration: intelTicketSentiments.frustration,
    urgency: intelTicketSentiments.urgency,
  },
};
const moodJoin = eq(intelTicketSentiments.ticketId, tickets.id);

const shape = (row: {
  ticket: TicketRow;
  customerName: string;
  customerEmail: string | null;
  mood: { label: string; trend: string; frustration: number; urgency: number } | null;
}): TicketWithCustomer => ({
  ...row.ticket,
  customer: { id: row.ticket.customerId, name: row.customerName, email: row.customerEmail },
  mood: row.mood && (row.mood as TicketMood),
});

export async function getTicket(db: Db, actor: Actor, ticketId: string): Promise<TicketWithCustomer> {
  const [row] = await db
    .select(withCustomer)
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(intelTicketSentiments, moodJoin)
    .where(and(eq(tickets.id, ticketId), eq(tickets.workspaceId, actor.workspaceId)));
  if (!row) throw notFound('Ticket');
  return shape(row);
}

export type TicketSort = 'last_activity' | 'created' | 'updated' | 'priority';

/** What narrows a ticket list, without its order or page. */
export type TicketCriteria = {
  status?: TicketStatus[] | undefined;
  priority?: Priority[] | undefined;
  channel?: Channel[] | undefined;
  assignee?: string | undefined; // a user id, 'me' or 'none'
  team?: string | undefined; // a team id or 'none'
  tag?: string | undefined;
  customer?: string | undefined;
  updatedSince?: Date | undefined;
  q?: string | undefined;
  sentiment?: TicketMood['label'][] | undefined;
  sla?: SlaFilterState | undefined;
  /** What SLA due times compare to (the app's clock); the wall clock when absent. */
  now?: Date | undefined;
};

export type TicketFilter = TicketCriteria & {
  sort: TicketSort;
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string | undefined;
};

const sortColumn = {
  last_activity: tickets.lastActivityAt,
  created: tickets.createdAt,
  updated: tickets.updatedAt,
  priority: tickets.lastActivityAt,
};

// Priority sorts by urgency, then by last activity within one priority.
type Cursor = { at: string; id: string; p?: string };
const priorityOrder = ['low', 'normal', 'high', 'urgent'];
const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
function decodeCursor(value: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Cursor;
    if (
      typeof parsed.at !== 'string' ||
      Number.isNaN(Date.parse(parsed.at)) ||
      !/^[0-9a-f-]{36}$/.test(parsed.id) ||
      (parsed.p !== undefined && !priorityOrder.includes(parsed.p))
    )
      throw new Error();
    return parsed;
  } catch {
    throw invalid('The cursor is not valid', [
      { path: 'querystring.cursor', message: 'not a cursor from this API' },
    ]);
  }
}

/** The WHERE terms of a filter; the list and its count share them so they always agree. */
function ticketConditions(actor: Actor, filter: TicketCriteria): (SQL | undefined)[] {
  const conditions: (SQL | undefined)[] = [eq(tickets.workspaceId, actor.workspaceId)];
  if (filter.status?.length)
    conditions.push(
      sql`${tickets.status} IN (${sql.join(
        filter.status.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (filter.priority?.length)
    conditions.push(
      sql`${tickets.priority} IN (${sql.join(
        filter.priority.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (filter.channel?.length)
    conditions.push(
      sql`${tickets.channel} IN (${sql.join(
        filter.channel.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (filter.assignee === 'none') conditions.push(sql`${tickets.assigneeId} IS NULL`);
  else if (filter.assignee)
    conditions.push(eq(tickets.assigneeId, filter.assignee === 'me' ? actor.userId : filter.assignee));
  if (filter.team === 'none') conditions.push(sql`${tickets.teamId} IS NULL`);
  else if (filter.team) conditions.push(eq(tickets.teamId, filter.team));
  if (filter.tag) conditions.push(sql`${tickets.tags} @> ARRAY[${filter.tag.trim().toLowerCase()}]::text[]`);
  if (filter.customer) conditions.push(eq(tickets.customerId, filter.customer));
  if (filter.updatedSince)
    conditions.push(sql`${tickets.updatedAt} >= ${filter.updatedSince.toISOString()}::timestamptz`);
  if (filter.q?.trim()) conditions.push(textMatch(filter.q.trim()));
  if (filter.sla) conditions.push(slaStateFilter(actor.workspaceId, filter.sla, filter.now ?? new Date()));
  // A semi-join on the mood's (workspace, label) index, so the count needs no join either.
  if (filter.sentiment?.length)
    conditions.push(
      sql`${tickets.id} IN (SELECT s.ticket_id FROM intel_ticket_sentiments s
        WHERE s.workspace_id = ${actor.workspaceId} AND s.label IN (${sql.join(
          filter.sentiment.map((label) => sql`${label}`),
          sql`, `,
        )}))`,
    );
  return conditions;
}

/**
 * Counts the tickets a filter matches, stopping at `cap` so a count over a huge workspace stays cheap;
 * `capped` says there are more.
 */
export async function countTickets(
  db: Db,
  actor: Actor,
  filter: TicketCriteria,
  cap = 10_000,
): Promise<{ count: number; capped: boolean }> {
  const matching = db
    .select({ one: sql`1` })
    .from(tickets)
    .where(and(...ticketConditions(actor, filter)))
    .limit(cap + 1)
    .as('matching');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(matching);
  const n = Number(row?.n ?? 0);
  return { count: Math.min(n, cap), capped: n > cap };
}

/** Filters a workspace's tickets and pages them by keyset, so page 500 costs what page 1 does. */
export async function listTickets(db: Db, actor: Actor, filter: TicketFilter) {
  const conditions = ticketConditions(actor, filter);
  const column = sortColumn[filter.sort];
  const byPriority = filter.sort === 'priority';
  if (filter.cursor) {
    const cursor = decodeCursor(filter.cursor);
    const op = filter.order === 'desc' ? sql`<` : sql`>`;
    conditions.push(
      byPriority
        ? sql`(${tickets.priority}, ${column}, ${tickets.id}) ${op} (${cursor.p ?? 'normal'}::ticket_priority, ${cursor.at}::timestamptz, ${cursor.id}::uuid)`
        : sql`(${column}, ${tickets.id}) ${op} (${cursor.at}::timestamptz, ${cursor.id}::uuid)`,
    );
  }
  const direction = filter.order === 'desc' ? sql`DESC` : sql`ASC`;
  const order = [sql`${column} ${direction}`, sql`${tickets.id} ${direction}`];
  if (byPriority) order.unshift(sql`${tickets.priority} ${direction}`);
  const rows = await db
    .select(withCustomer)
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(intelTicketSentiments, moodJoin)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit).map(shape);
  const last = page.at(-1);
  const at = last
    ? {
        last_activity: last.lastActivityAt,
        created: last.createdAt,
        updated: last.updatedAt,
        priority: last.lastActivityAt,
      }[filter.sort]
    : undefined;
  return {
    data: page,
    nextCursor:
      rows.length > filter.limit && last && at
        ? encodeCursor({ at: at.toISOString(), id: last.id, ...(byPriority && { p: last.priority }) })
        : null,
  };
}

/** "#123" or "123" finds the ticket by number; other text searches subjects and message bodies. */
function textMatch(q: string): SQL {
  const number = /^#?(\d{1,9})$/.exec(q)?.[1];
  const query = sql`websearch_to_tsquery('simple', ${q})`;
  const text = or(
    sql`${tickets.search} @@ ${query}`,
    sql`EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = ${tickets.id} AND m.search @@ ${query})`,
  )!;
  return number ? or(eq(tickets.number, Number(number)), text)! : text;
}

export async function listMessages(db: Db, actor: Actor, ticketId: string) {
  await getTicket(db, actor, ticketId);
  return db
    .select({
      message: messages,
      authorUserName: users.name,
      authorCustomerName: customers.name,
    })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .leftJoin(customers, eq(customers.id, messages.authorCustomerId))
    .where(and(eq(messages.ticketId, ticketId), eq(messages.workspaceId, actor.workspaceId)))
    .orderBy(asc(messages.createdAt), asc(messages.id));
}

export async function listTicketEvents(db: Db, actor: Actor, ticketId: string) {
  await getTicket(db, actor, ticketId);
  return db
    .select()
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.workspaceId, actor.workspaceId)))
    .orderBy(asc(ticketEvents.id));
}

/** Links seen from this ticket: related, its parent and its children. */
export async function listTicketLinks(db: Db, actor: Actor, ticketId: string) {
  const rows = await db
    .select()
    .from(ticketLinks)
    .where(
      and(
        eq(ticketLinks.workspaceId, actor.workspaceId),
        or(eq(ticketLinks.ticketId, ticketId), eq(ticketLinks.otherTicketId, ticketId)),
      ),
    );
  return rows.map((link) => {
    const outgoing = link.ticketId === ticketId;
    const kind: LinkKind = link.kind === 'related' ? 'related' : outgoing ? 'parent_of' : 'child_of';
    return { kind, ticketId: outgoing ? link.otherTicketId : link.ticketId };
  });
}
