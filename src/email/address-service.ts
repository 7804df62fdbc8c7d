import { and, asc, eq, ne } from 'drizzle-orm';
import { emailAddresses, teams } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, isUniqueViolation } from '../platform/db/database.ts';
import { conflict, invalid, notFound } from '../platform/errors.ts';

export type SupportAddress = typeof emailAddresses.$inferSelect;

export type SupportAddressInput = {
  address: string;
  displayName?: string | undefined;
  teamId?: string | null | undefined;
  isDefault?: boolean | undefined;
};

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

function normaliseAddress(value: string): string {
  const address = value.trim().toLowerCase();
  if (!EMAIL.test(address) || address.length > 254)
    throw invalid('Not an email address', [{ path: 'address', message: 'must be an email address' }]);
  if (address.split('@')[0]!.includes('+'))
    throw invalid('A support address cannot be a plus-address', [
      { path: 'address', message: 'plus-addresses of it already reach it' },
    ]);
  return address;
}

async function checkTeam(tx: Db, workspaceId: string, teamId: string | null | undefined) {
  if (!teamId) return;
  const [team] = await tx
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.id, teamId), eq(teams.workspaceId, workspaceId)));
  if (!team) throw invalid('No such team', [{ path: 'teamId', message: 'not found' }]);
}

// One default per workspace: making one the default takes it from the others.
async function keepOneDefault(tx: Db, workspaceId: string, id: string) {
  await tx
    .update(emailAddresses)
    .set({ isDefault: false })
    .where(and(eq(emailAddresses.workspaceId, workspaceId), ne(emailAddresses.id, id)));
}

const taken = () => conflict('This address is already used by a workspace');

export async function listSupportAddresses(db: Db, actor: Actor): Promise<SupportAddress[]> {
  return db
    .select()
    .from(emailAddresses)
    .where(eq(emailAddresses.workspaceId, actor.workspaceId))
    .orderBy(asc(emailAddresses.address));
}

/** Adds an address customers write to; throws conflict when any workspace has it already. */
export async function createSupportAddress(db: Db, actor: Actor, input: SupportAddressInput) {
  const address = normaliseAddress(input.address);
  try {
    return await db.transaction(async (tx) => {
      await checkTeam(tx, actor.workspaceId, input.teamId);
      const [row] = await tx
        .insert(emailAddresses)
        .values({
          workspaceId: actor.workspaceId,
          address,
          displayName: input.displayName?.trim() ?? '',
          teamId: input.teamId ?? null,
          isDefault: input.isDefault ?? false,
        })
        .returning();
      if (row!.isDefault) await keepOneDefault(tx, actor.workspaceId, row!.id);
      return row!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

export async function updateSupportAddress(
  db: Db,
  actor: Actor,
  id: string,
  patch: Partial<SupportAddressInput>,
): Promise<SupportAddress> {
  try {
    return await db.transaction(async (tx) => {
      await checkTeam(tx, actor.workspaceId, patch.teamId);
      const changes = {
        ...(patch.address !== undefined && { address: normaliseAddress(patch.address) }),
        ...(patch.displayName !== undefined && { displayName: patch.displayName.trim() }),
        ...(patch.teamId !== undefined && { teamId: patch.teamId }),
        ...(patch.isDefault !== undefined && { isDefault: patch.isDefault }),
      };
      const mine = and(eq(emailAddresses.id, id), eq(emailAddresses.workspaceId, actor.workspaceId));
      const [row] = Object.keys(changes).length
        ? await tx.update(emailAddresses).set(changes).where(mine).returning()
        : await tx.select().from(emailAddresses).where(mine);
      if (!row) throw notFound('Email address');
      if (row.isDefault) await keepOneDefault(tx, actor.workspaceId, row.id);
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

export async function deleteSupportAddress(db: Db, actor: Actor, id: string) {
  const deleted = await db
    .delete(emailAddresses)
    .where(and(eq(emailAddresses.id, id), eq(emailAddresses.workspaceId, actor.workspaceId)))
    .returning({ id: emailAddresses.id });
  if (!deleted.length) throw notFound('Email address');
}
