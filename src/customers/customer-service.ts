import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import {
  companies,
  customerEvents,
  customerIdentities,
  customerNotes,
  customerOrderItems,
  customers,
  messages,
  surveyResponses,
  tickets,
} from '../db/schema/index.ts';
import { validateCustomFields } from '../fields/field-service.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { conflict, invalid, invalidState, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { isIdentityRace, runCustomerUpsert } from './customer-upsert.ts';
import { type CustomerRef, type Identity, normaliseIdentity } from './identities.ts';

export type Customer = typeof customers.$inferSelect & { identities: Identity[] };

/**
 * Finds the customer one of these identities belongs to, or creates one, inside the caller's transaction.
 * Identities not yet known are added to the customer found. Safe against two requests creating the same
 * new customer at once: the loser's statement fails, leaving nothing, and its retry finds the winner's.
 */
export async function upsertCustomerByIdentity(
  tx: Db,
  workspaceId: string,
  ref: CustomerRef,
): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // A savepoint, so that a lost race does not abort the caller's transaction.
      return await tx.transaction((savepoint) => runCustomerUpsert(savepoint, workspaceId, ref));
    } catch (error) {
      if (!isIdentityRace(error)) throw error;
    }
  }
  throw conflict('The customer changed while we were saving; try again');
}

export async function getCustomer(db: Db, actor: Actor, customerId: string): Promise<Customer> {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.workspaceId, actor.workspaceId)));
  if (!row) throw notFound('Customer');
  const identities = await db
    .select({ kind: customerIdentities.kind, value: customerIdentities.value })
    .from(customerIdentities)
    .where(eq(customerIdentities.customerId, customerId))
    .orderBy(asc(customerIdentities.createdAt));
  return { ...row, identities };
}

export type CustomerInput = {
  name?: string | undefined;
  companyId?: string | null | undefined;
  language?: string | null | undefined;
  timeZone?: string | null | undefined;
  tags?: string[] | undefined;
  customAttributes?: Record<string, unknown> | undefined;
  notes?: string | undefined;
  tier?: string | null | undefined;
  consentMarketing?: boolean | undefined;
  consentProactive?: boolean | undefined;
};

async function checkCompany(tx: Db, workspaceId: string, companyId: string | null | undefined) {
  if (!companyId) return;
  const [company] = await tx
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.id, companyId), eq(companies.workspaceId, workspaceId)));
  if (!company) throw invalid('No such company', [{ path: 'companyId', message: 'not found' }]);
}

/** Creates a customer with the given identities. Throws conflict if one belongs to someone else. */
export async function createCustomer(
  db: Db,
  actor: Actor,
  input: CustomerInput & { identities: Identity[] },
): Promise<Customer> {
  const wanted = input.identities.map((i) => ({ kind: i.kind, value: normaliseIdentity(i.kind, i.value) }));
  const id = await db.transaction(async (tx) => {
    await checkCompany(tx, actor.workspaceId, input.companyId);
    const customAttributes = await validateCustomFields(
      tx,
      actor.workspaceId,
      'customer',
      input.customAttributes ?? {},
    );
    const [created] = await tx
      .insert(customers)
      .values({
        workspaceId: actor.workspaceId,
        name: input.name?.trim() ?? '',
        companyId: input.companyId ?? null,
        language: input.language ?? null,
        timeZone: input.timeZone ?? null,
        tags: normaliseTags(input.tags ?? []),
        customAttributes,
        notes: input.notes ?? '',
        tier: input.tier?.trim().toLowerCase() || null,
        ...(input.consentMarketing !== undefined && { consentMarketing: input.consentMarketing }),
        ...(input.consentProactive !== undefined && { consentProactive: input.consentProactive }),
      })
      .returning({ id: customers.id });
    if (wanted.length > 0) {
      const inserted = await tx
        .insert(customerIdentities)
        .values(
          wanted.map((identity) => ({
            ...identity,
            workspaceId: actor.workspaceId,
            customerId: created!.id,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: customerIdentities.id });
      if (inserted.length !== wanted.length)
        throw conflict('One of these identities already belongs to another customer');
    }
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'customer.created',
      payload: { id: created!.id, actorId: actor.userId },
    });
    return created!.id;
  });
  return getCustomer(db, actor, id);
}

export const normaliseTags = (tags: string[]) =>
  [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))].sort();

export async function updateCustomer(
  db: Db,
  actor: Actor,
  customerId: string,
  patch: CustomerInput,
): Promise<Customer> {
  await db.transaction(async (tx) => {
    const current = await getCustomer(tx, actor, customerId);
    if (current.mergedIntoId) throw invalidState('This customer was merged into another');
    await checkCompany(tx, actor.workspaceId, patch.companyId);
    const customAttributes =
      patch.customAttributes === undefined
        ? undefined
        : await validateCustomFields(tx, actor.workspaceId, 'customer', {
            ...current.customAttributes,
            ...patch.customAttributes,
          });
    await tx
      .update(customers)
      .set({
        ...(patch.name !== undefined && { name: patch.name.trim() }),
        ...(patch.companyId !== undefined && { companyId: patch.companyId }),
        ...(patch.language !== undefined && { language: patch.language }),
        ...(patch.timeZone !== undefined && { timeZone: patch.timeZone }),
        ...(patch.tags !== undefined && { tags: normaliseTags(patch.tags) }),
        ...(customAttributes !== undefined && { customAttributes }),
        ...(patch.notes !== undefined && { notes: patch.notes }),
        ...(patch.tier !== undefined && { tier: patch.tier?.trim().toLowerCase() || null }),
        ...(patch.consentMarketing !== undefined && { consentMarketing: patch.consentMarketing }),
        ...(patch.consentProactive !== undefined && { consentProactive: patch.consentProactive }),
        updatedAt: sql`now()`,
      })
      .where(eq(customers.id, customerId));
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'customer.updated',
      payload: { id: customerId, actorId: actor.userId, fields: Object.keys(patch) },
    });
  });
  return getCustomer(db, actor, customerId);
}

export async function addIdentity(
  db: Db,
  actor: Actor,
  customerId: string,
  identity: Identity,
): Promise<Customer> {
  await db.transaction(async (tx) => {
    await getCustomer(tx, actor, customerId);
    const inserted = await tx
      .insert(customerIdentities)
      .values({
        workspaceId: actor.workspaceId,
        customerId,
        kind: identity.kind,
        value: normaliseIdentity(identity.kind, identity.value),
      })
      .onConflictDoNothing()
      .returning({ id: customerIdentities.id });
    if (inserted.length === 0) throw conflict('This identity already belongs to a customer');
  });
  return getCustomer(db, actor, customerId);
}

export async function removeIdentity(
  db: Db,
  actor: Actor,
  customerId: string,
  identity: Identity,
): Promise<Customer> {
  const removed = await db
    .delete(customerIdentities)
    .where(
      and(
        eq(customerIdentities.workspaceId, actor.workspaceId),
        eq(customerIdentities.customerId, customerId),
        eq(customerIdentities.kind, identity.kind),
        eq(customerIdentities.value, normaliseIdentity(identity.kind, identity.value)),
      ),
    )
    .returning({ id: customerIdentities.id });
  if (removed.length === 0) throw notFound('Identity');
  return getCustomer(db, actor, customerId);
}

/**
 * Merges `sourceId` into `targetId`: identities, tickets and authored messages move, tags and notes
 * are combined, and the source stays behind as a pointer to the target.
 */
export async function mergeCustomers(
  db: Db,
  actor: Actor,
  input: { sourceId: string; targetId: string },
): Promise<Customer> {
  if (input.sourceId === input.targetId) throw invalid('A customer cannot be merged into itself');
  await db.transaction(async (tx) => {
    const locked = await tx
      .select()
      .from(customers)
      .where(
        and(
          eq(customers.workspaceId, actor.workspaceId),
          inArray(customers.id, [input.sourceId, input.targetId]),
        ),
      )
      .orderBy(asc(customers.id))
      .for('update');
    const source = locked.find((c) => c.id === input.sourceId);
    const target = locked.find((c) => c.id === input.targetId);
    if (!source || !target) throw notFound('Customer');
    if (source.mergedIntoId || target.mergedIntoId)
      throw invalidState('A merged customer cannot be merged again');
    await tx
      .update(customerIdentities)
      .set({ customerId: target.id })
      .where(eq(customerIdentities.customerId, source.id));
    const moved = await tx
      .update(tickets)
      .set({ customerId: target.id, updatedAt: sql`now()` })
      .where(eq(tickets.customerId, source.id))
      .returning({ id: tickets.id });
    await tx
      .update(messages)
      .set({ authorCustomerId: target.id })
      .where(eq(messages.authorCustomerId, source.id));
    // Business events, their order lines, notes and survey answers follow the person too.
    for (const table of [customerEvents, customerOrderItems, customerNotes, surveyResponses])
      await tx.update(table).set({ customerId: target.id }).where(eq(table.customerId, source.id));
    await tx
      .update(customers)
      .set({
        name: target.name || source.name,
        companyId: target.companyId ?? source.companyId,
        language: target.language ?? source.language,
        timeZone: target.timeZone ?? source.timeZone,
        tags: normaliseTags([...target.tags, ...source.tags]),
        customAttributes: { ...source.customAttributes, ...target.customAttributes },
        notes: [target.notes, source.notes].filter(Boolean).join('\n\n'),
        tier: target.tier ?? source.tier,
        // A no from either record stands: consent is never widened by a merge.
        consentMarketing: target.consentMarketing && source.consentMarketing,
        consentProactive: target.consentProactive && source.consentProactive,
        updatedAt: sql`now()`,
      })
      .where(eq(customers.id, target.id));
    await tx
      .update(customers)
      .set({ mergedIntoId: target.id, tags: [], updatedAt: sql`now()` })
      .where(eq(customers.id, source.id));
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'customer.merged',
      payload: {
        id: target.id,
        sourceId: source.id,
        actorId: actor.userId,
        ticketIds: moved.map((t) => t.id),
      },
    });
  });
  return getCustomer(db, actor, input.targetId);
}

export type CustomerSearch = {
  q?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  externalId?: string | undefined;
  companyId?: string | undefined;
  tag?: string | undefined;
  limit: number;
  cursor?: { createdAt: string; id: string } | undefined;
};

/** Lists live (unmerged) customers newest first; `q` matches name, email or phone, fuzzily on names. */
export async function searchCustomers(db: Db, actor: Actor, search: CustomerSearch) {
  const conditions = [eq(customers.workspaceId, actor.workspaceId), isNull(customers.mergedIntoId)];
  const identityMatch = (kind: Identity['kind'], value: string) =>
    sql`EXISTS (SELECT 1 FROM customer_identities ci WHERE ci.customer_id = ${customers.id} AND ci.workspace_id = ${actor.workspaceId} AND ci.kind = ${kind} AND ci.value = ${normaliseIdentity(kind, value)})`;
  if (search.email) conditions.push(identityMatch('email', search.email));
  if (search.phone) conditions.push(identityMatch('phone', search.phone));
  if (search.externalId) conditions.push(identityMatch('external_id', search.externalId));
  if (search.companyId) conditions.push(eq(customers.companyId, search.companyId));
  if (search.tag) conditions.push(sql`${customers.tags} @> ARRAY[${search.tag.toLowerCase()}]::text[]`);
  if (search.q) {
    const pattern = `%${search.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const digits = search.q.replace(/[^\d+]/g, '');
    conditions.push(
      or(
        sql`${customers.name} ILIKE ${pattern}`,
        sql`EXISTS (SELECT 1 FROM customer_identities ci WHERE ci.customer_id = ${customers.id} AND ci.workspace_id = ${actor.workspaceId} AND (ci.value ILIKE ${pattern}${digits.length >= 4 ? sql` OR (ci.kind = 'phone' AND ci.value LIKE ${`%${digits}%`})` : sql``}))`,
      )!,
    );
  }
  if (search.cursor) {
    conditions.push(
      sql`(${customers.createdAt}, ${customers.id}) < (${search.cursor.createdAt}::timestamptz, ${search.cursor.id}::uuid)`,
    );
  }
  const rows = await db
    .select()
    .from(customers)
    .where(and(...conditions))
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(search.limit + 1);
  const page = rows.slice(0, search.limit);
  const identities = page.length
    ? await db
        .select({
          customerId: customerIdentities.customerId,
          kind: customerIdentities.kind,
          value: customerIdentities.value,
        })
        .from(customerIdentities)
        .where(
          inArray(
            customerIdentities.customerId,
            page.map((c) => c.id),
          ),
        )
        .orderBy(asc(customerIdentities.createdAt))
    : [];
  const last = page.at(-1);
  return {
    data: page.map((c) => ({
      ...c,
      identities: identities.filter((i) => i.customerId === c.id).map(({ kind, value }) => ({ kind, value })),
    })),
    nextCursor:
      rows.length > search.limit && last
        ? { createdAt: last.createdAt.toISOString(), id: last.id }
        : undefined,
  };
}

/** The live customer behind an id: a merged customer resolves to the one it was merged into. */
export async function customerById(tx: Db, workspaceId: string, customerId: string): Promise<{ id: string }> {
  let id = customerId;
  for (let hops = 0; hops < 10; hops++) {
    const [row] = await tx
      .select({ id: customers.id, mergedIntoId: customers.mergedIntoId })
      .from(customers)
      .where(and(eq(customers.id, id), eq(customers.workspaceId, workspaceId)));
    if (!row) throw invalid('No such customer', [{ path: 'customer.id', message: 'not found' }]);
    if (!row.mergedIntoId) return { id: row.id };
    id = row.mergedIntoId;
  }
  throw invalidState('The customer merge chain is too long');
}
