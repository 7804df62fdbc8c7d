import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import { customerTemplateValues } from '../crm/crm-placeholders.ts';
import { getCustomer } from '../customers/customer-service.ts';
import { cannedResponses, workspaces } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { getTicket } from '../tickets/ticket-queries.ts';
import { getMember } from '../users/user-service.ts';
import { renderTemplate, templateValues } from './canned-template.ts';

export type CannedResponse = typeof cannedResponses.$inferSelect;

export type CannedInput = {
  title: string;
  body: string;
  shortcut?: string | null | undefined;
  /** Shared with the whole workspace (admins only); else personal to its author. */
  shared?: boolean | undefined;
};

export type CannedPatch = Partial<Omit<CannedInput, 'shared'>>;

/** Shared ones are the workspace's and only admins change them; personal ones only their owner sees. */
export const cannedPermissions = (row: CannedResponse, actor: Actor) => {
  const mine = row.ownerId === null ? actor.role === 'admin' : row.ownerId === actor.userId;
  return { update: mine, delete: mine };
};

const visibleTo = (actor: Actor) =>
  and(
    eq(cannedResponses.workspaceId, actor.workspaceId),
    or(isNull(cannedResponses.ownerId), eq(cannedResponses.ownerId, actor.userId)),
  );

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The shared responses and the actor's own, by title; `q` matches title, body or shortcut. */
export async function listCanned(db: Db, actor: Actor, query: { q?: string | undefined }) {
  const q = query.q?.trim();
  const pattern = q ? `%${escapeLike(q)}%` : undefined;
  return db
    .select()
    .from(cannedResponses)
    .where(
      and(
        visibleTo(actor),
        pattern
          ? or(
              sql`${cannedResponses.title} ILIKE ${pattern}`,
              sql`${cannedResponses.body} ILIKE ${pattern}`,
              sql`${cannedResponses.shortcut} ILIKE ${pattern}`,
            )
          : undefined,
      ),
    )
    .orderBy(asc(cannedResponses.title), asc(cannedResponses.id))
    .limit(500);
}

/** Throws not_found for another workspace's response and for someone else's personal one. */
export async function getCanned(db: Db, actor: Actor, id: string): Promise<CannedResponse> {
  const [row] = await db
    .select()
    .from(cannedResponses)
    .where(and(eq(cannedResponses.id, id), visibleTo(actor)));
  if (!row) throw notFound('Canned response');
  return row;
}

const cleanShortcut = (shortcut: string | null | undefined) =>
  shortcut === undefined ? undefined : shortcut?.trim() || null;

export async function createCanned(db: Db, actor: Actor, input: CannedInput): Promise<CannedResponse> {
  if (input.shared && actor.role !== 'admin') throw forbidden('Only admins add shared canned responses');
  const [row] = await db
    .insert(cannedResponses)
    .values({
      workspaceId: actor.workspaceId,
      title: input.title.trim(),
      body: input.body,
      shortcut: cleanShortcut(input.shortcut) ?? null,
      ownerId: input.shared ? null : actor.userId,
    })
    .returning();
  return row!;
}

async function editable(db: Db, actor: Actor, id: string) {
  const row = await getCanned(db, actor, id);
  if (!cannedPermissions(row, actor).update) throw forbidden('Only admins change shared canned responses');
  return row;
}

export async function updateCanned(db: Db, actor: Actor, id: string, patch: CannedPatch) {
  await editable(db, actor, id);
  const [row] = await db
    .update(cannedResponses)
    .set({
      ...(patch.title !== undefined && { title: patch.title.trim() }),
      ...(patch.body !== undefined && { body: patch.body }),
      ...(patch.shortcut !== undefined && { shortcut: cleanShortcut(patch.shortcut) }),
      updatedAt: sql`now()`,
    })
    .where(eq(cannedResponses.id, id))
    .returning();
  return row!;
}

export async function deleteCanned(db: Db, actor: Actor, id: string): Promise<void> {
  await editable(db, actor, id);
  await db.delete(cannedResponses).where(eq(cannedResponses.id, id));
}

/**
 * Fills a response's placeholders for one ticket and counts the use. Unknown or empty placeholders stay
 * in the text and are listed in `missing`. Throws not_found for a ticket or response the actor cannot see.
 */
export async function renderCanned(db: Db, actor: Actor, id: string, input: { ticketId: string }) {
  const canned = await getCanned(db, actor, id);
  const ticket = await getTicket(db, actor, input.ticketId);
  const [customer, agent, [workspace]] = await Promise.all([
    getCustomer(db, actor, ticket.customerId),
    getMember(db, actor, actor.userId),
    db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, actor.workspaceId)),
  ]);
  const email = ticket.customer.email ?? customer.identities.find((i) => i.kind === 'email')?.value ?? null;
  const { text, missing } = renderTemplate(canned.body, {
    ...(await customerTemplateValues(db, actor.workspaceId, customer.id)),
    ...templateValues({
      customer: { name: customer.name, email },
      ticket: { number: ticket.number, subject: ticket.subject },
      agent: { name: agent.name },
      workspace: { name: workspace?.name ?? '' },
    }),
  });
  await db
    .update(cannedResponses)
    .set({ usageCount: sql`${cannedResponses.usageCount} + 1` })
    .where(eq(cannedResponses.id, canned.id));
  return { body: text, missing };
}

/** A shared response's text for automations (they have no personal ones); throws not_found otherwise. */
export async function sharedCannedBody(db: Db, workspaceId: string, id: string): Promise<string> {
  const [row] = await db
    .select({ body: cannedResponses.body })
    .from(cannedResponses)
    .where(
      and(
        eq(cannedResponses.id, id),
        eq(cannedResponses.workspaceId, workspaceId),
        isNull(cannedResponses.ownerId),
      ),
    );
  if (!row) throw notFound('Canned response');
  await db
    .update(cannedResponses)
    .set({ usageCount: sql`${cannedResponses.usageCount} + 1` })
    .where(eq(cannedResponses.id, id));
  return row.body;
}
