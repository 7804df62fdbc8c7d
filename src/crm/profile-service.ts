import { and, desc, eq, sql } from 'drizzle-orm';
import { getCustomer } from '../customers/customer-service.ts';
import { companies, customerEvents, customerNotes } from '../db/schema/index.ts';
import { type Actor, roleAtLeast } from '../platform/auth/actor.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';

export type Lifetime = {
  orders: number;
  orderValue: number;
  currency: string | null;
  tickets: number;
  openTickets: number;
  averageCsat: number | null;
  csatAnswers: number;
  lastContactAt: Date | null;
};

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const date = (value: unknown) => (value ? new Date(value as string) : null);

/** Orders and their value, tickets (open ones apart), average CSAT and the last message either way. */
export async function lifetimeFigures(db: Db, workspaceId: string, customerId: string): Promise<Lifetime> {
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT
      (SELECT count(*) FROM customer_events e WHERE e.workspace_id = ${workspaceId} AND e.customer_id = ${customerId} AND e.type = 'order.placed') AS orders,
      (SELECT coalesce(sum(e.amount), 0) FROM customer_events e WHERE e.workspace_id = ${workspaceId} AND e.customer_id = ${customerId} AND e.type = 'order.placed') AS order_value,
      (SELECT e.currency FROM customer_events e WHERE e.workspace_id = ${workspaceId} AND e.customer_id = ${customerId} AND e.type = 'order.placed' AND e.currency IS NOT NULL ORDER BY e.occurred_at DESC LIMIT 1) AS currency,
      (SELECT count(*) FROM tickets t WHERE t.workspace_id = ${workspaceId} AND t.customer_id = ${customerId} AND t.merged_into_id IS NULL) AS tickets,
      (SELECT count(*) FROM tickets t WHERE t.workspace_id = ${workspaceId} AND t.customer_id = ${customerId} AND t.merged_into_id IS NULL AND t.status NOT IN ('solved', 'closed')) AS open_tickets,
      (SELECT avg(r.score) FROM survey_responses r WHERE r.workspace_id = ${workspaceId} AND r.customer_id = ${customerId} AND r.kind = 'csat') AS average_csat,
      (SELECT count(*) FROM survey_responses r WHERE r.workspace_id = ${workspaceId} AND r.customer_id = ${customerId} AND r.kind = 'csat') AS csat_answers,
      (SELECT max(m.created_at) FROM messages m JOIN tickets t ON t.id = m.ticket_id
        WHERE t.workspace_id = ${workspaceId} AND t.customer_id = ${customerId} AND m.kind <> 'internal_note') AS last_contact_at`,
  );
  const average = num(row?.average_csat);
  return {
    orders: Number(row?.orders ?? 0),
    orderValue: Math.round(Number(row?.order_value ?? 0) * 100) / 100,
    currency: (row?.currency as string | null) ?? null,
    tickets: Number(row?.tickets ?? 0),
    openTickets: Number(row?.open_tickets ?? 0),
    averageCsat: average === null ? null : Math.round(average * 100) / 100,
    csatAnswers: Number(row?.csat_answers ?? 0),
    lastContactAt: date(row?.last_contact_at),
  };
}

/** The customer's most recent order.placed event, or null. */
export async function latestOrder(db: Db, workspaceId: string, customerId: string) {
  const [row] = await db
    .select()
    .from(customerEvents)
    .where(
      and(
        eq(customerEvents.workspaceId, workspaceId),
        eq(customerEvents.customerId, customerId),
        eq(customerEvents.type, 'order.placed'),
      ),
    )
    .orderBy(desc(customerEvents.occurredAt))
    .limit(1);
  return row ?? null;
}

export type Note = typeof customerNotes.$inferSelect;

async function notesOf(db: Db, workspaceId: string, customerId: string): Promise<Note[]> {
  return db
    .select()
    .from(customerNotes)
    .where(and(eq(customerNotes.workspaceId, workspaceId), eq(customerNotes.customerId, customerId)))
    .orderBy(desc(customerNotes.pinned), desc(customerNotes.createdAt))
    .limit(100);
}

/** Everything the customer panel shows at once; throws not_found for a customer of another workspace. */
export async function getProfile(db: Db, actor: Actor, customerId: string) {
  const customer = await getCustomer(db, actor, customerId);
  const [company] = customer.companyId
    ? await db
        .select({ id: companies.id, name: companies.name, domain: companies.domain })
        .from(companies)
        .where(and(eq(companies.id, customer.companyId), eq(companies.workspaceId, actor.workspaceId)))
    : [];
  const [lifetime, order, notes] = await Promise.all([
    lifetimeFigures(db, actor.workspaceId, customer.id),
    latestOrder(db, actor.workspaceId, customer.id),
    notesOf(db, actor.workspaceId, customer.id),
  ]);
  return { customer, company: company ?? null, lifetime, latestOrder: order, notes };
}

export async function addNote(
  db: Db,
  actor: Actor,
  customerId: string,
  input: { body: string; pinned?: boolean | undefined },
): Promise<Note> {
  if (!roleAtLeast(actor.role, 'agent')) throw forbidden('Light agents cannot write customer notes');
  await getCustomer(db, actor, customerId);
  const [row] = await db
    .insert(customerNotes)
    .values({
      workspaceId: actor.workspaceId,
      customerId,
      authorId: actor.userId,
      body: input.body,
      pinned: input.pinned ?? false,
    })
    .returning();
  return row!;
}

export async function updateNote(
  db: Db,
  actor: Actor,
  ids: { customerId: string; noteId: string },
  patch: { body?: string | undefined; pinned?: boolean | undefined },
): Promise<Note> {
  if (!roleAtLeast(actor.role, 'agent')) throw forbidden('Light agents cannot change customer notes');
  const [row] = await db
    .update(customerNotes)
    .set({
      ...(patch.body !== undefined && { body: patch.body }),
      ...(patch.pinned !== undefined && { pinned: patch.pinned }),
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(customerNotes.id, ids.noteId),
        eq(customerNotes.customerId, ids.customerId),
        eq(customerNotes.workspaceId, actor.workspaceId),
      ),
    )
    .returning();
  if (!row) throw notFound('Note');
  return row;
}

export async function deleteNote(db: Db, actor: Actor, ids: { customerId: string; noteId: string }) {
  if (!roleAtLeast(actor.role, 'agent')) throw forbidden('Light agents cannot delete customer notes');
  const removed = await db
    .delete(customerNotes)
    .where(
      and(
        eq(customerNotes.id, ids.noteId),
        eq(customerNotes.customerId, ids.customerId),
        eq(customerNotes.workspaceId, actor.workspaceId),
      ),
    )
    .returning({ id: customerNotes.id });
  if (removed.length === 0) throw notFound('Note');
}
