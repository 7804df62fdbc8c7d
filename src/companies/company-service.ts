import { and, asc, eq, sql } from 'drizzle-orm';
import { companies } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, isUniqueViolation } from '../platform/db/database.ts';
import { conflict, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';

export type Company = typeof companies.$inferSelect;
export type CompanyInput = {
  name?: string | undefined;
  domain?: string | null | undefined;
  notes?: string | undefined;
  customAttributes?: Record<string, unknown> | undefined;
};

const normaliseDomain = (domain: string | null | undefined) =>
  domain
    ? domain
        .trim()
        .toLowerCase()
        .replace(/^www\./, '')
    : domain;
const byId = (actor: Actor, id: string) =>
  and(eq(companies.id, id), eq(companies.workspaceId, actor.workspaceId));
const nameTaken = (name: string | undefined) => (error: unknown) => {
  throw isUniqueViolation(error) ? conflict(`A company named ${name} exists`) : error;
};

export async function listCompanies(db: Db, actor: Actor, q?: string): Promise<Company[]> {
  const pattern = q ? `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return db
    .select()
    .from(companies)
    .where(
      and(
        eq(companies.workspaceId, actor.workspaceId),
        pattern
          ? sql`(${companies.name} ILIKE ${pattern} OR ${companies.domain} ILIKE ${pattern})`
          : undefined,
      ),
    )
    .orderBy(asc(companies.name))
    .limit(200);
}

export async function getCompany(db: Db, actor: Actor, id: string): Promise<Company> {
  const [row] = await db.select().from(companies).where(byId(actor, id));
  if (!row) throw notFound('Company');
  return row;
}

export async function createCompany(
  db: Db,
  actor: Actor,
  input: CompanyInput & { name: string },
): Promise<Company> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(companies)
      .values({
        workspaceId: actor.workspaceId,
        name: input.name.trim(),
        domain: normaliseDomain(input.domain) ?? null,
        notes: input.notes ?? '',
        customAttributes: input.customAttributes ?? {},
      })
      .returning()
      .catch(nameTaken(input.name));
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'company.created',
      payload: { id: row!.id, actorId: actor.userId },
    });
    return row!;
  });
}

export async function updateCompany(db: Db, actor: Actor, id: string, patch: CompanyInput): Promise<Company> {
  return db.transaction(async (tx) => {
    const current = await getCompany(tx, actor, id);
    const [row] = await tx
      .update(companies)
      .set({
        ...(patch.name !== undefined && { name: patch.name.trim() }),
        ...(patch.domain !== undefined && { domain: normaliseDomain(patch.domain) }),
        ...(patch.notes !== undefined && { notes: patch.notes }),
        ...(patch.customAttributes !== undefined && {
          customAttributes: { ...current.customAttributes, ...patch.customAttributes },
        }),
        updatedAt: sql`now()`,
      })
      .where(byId(actor, id))
      .returning()
      .catch(nameTaken(patch.name));
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'company.updated',
      payload: { id, actorId: actor.userId },
    });
    return row!;
  });
}

/** Customers of a deleted company stay, without a company. */
export async function deleteCompany(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const deleted = await tx.delete(companies).where(byId(actor, id)).returning({ id: companies.id });
    if (deleted.length === 0) throw notFound('Company');
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'company.deleted',
      payload: { id, actorId: actor.userId },
    });
  });
}
