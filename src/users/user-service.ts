import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { memberships, users } from '../db/schema/index.ts';
import type { Actor, Role } from '../platform/auth/actor.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../platform/auth/passwords.ts';
import { forgetCachedTokens } from '../platform/auth/token-cache.ts';
import type { Db } from '../platform/db/database.ts';
import { conflict, DomainError, forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import {
  assertNotLockedOut,
  clearLoginFailures,
  type LockoutPolicy,
  recordLoginFailure,
} from './login-throttle.ts';

export type Member = {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
};

export const normaliseEmail = (email: string) => email.trim().toLowerCase();
export const MIN_PASSWORD = 10;

function checkPassword(password: string) {
  if (password.length < MIN_PASSWORD) {
    throw invalid(`A password needs at least ${MIN_PASSWORD} characters`, [
      { path: 'password', message: 'too short' },
    ]);
  }
}

const memberColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: memberships.role,
  disabled: sql<boolean>`${users.disabledAt} IS NOT NULL`,
  createdAt: users.createdAt,
};

/** Creates a person and makes them a member of the workspace. Throws conflict when the email is taken. */
export async function createUser(
  db: Db,
  input: { workspaceId: string; email: string; name: string; password: string; role: Role },
): Promise<Member> {
  checkPassword(input.password);
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email, name: input.name.trim(), passwordHash })
      .onConflictDoNothing()
      .returning();
    if (!user) throw conflict(`A user with the email ${email} already exists`);
    await tx
      .insert(memberships)
      .values({ workspaceId: input.workspaceId, userId: user.id, role: input.role });
    return {
      id: user.id,
      email,
      name: user.name,
      role: input.role,
      disabled: false,
      createdAt: user.createdAt,
    };
  });
}

/**
 * Checks a password and picks the workspace to sign into (the requested one, else the oldest membership).
 * Unknown email and wrong password fail alike, in the same time. With `throttle`, repeated failures lock
 * the email out for a while (rate_limited), whether or not an account exists behind it.
 */
export async function verifyLogin(
  db: Db,
  input: { email: string; password: string; workspaceId?: string | undefined },
  throttle?: { now: Date; policy: LockoutPolicy },
): Promise<{ userId: string; workspaceId: string }> {
  const email = normaliseEmail(input.email);
  if (throttle) await assertNotLockedOut(db, email, throttle.now);
  const signedIn = await checkCredentials(db, email, input);
  if (!signedIn) {
    if (throttle) await recordLoginFailure(db, email, throttle.now, throttle.policy);
    throw new DomainError('unauthenticated', 'The email or password is not right');
  }
  if (throttle) await clearLoginFailures(db, email);
  return signedIn;
}

async function checkCredentials(
  db: Db,
  email: string,
  input: { password: string; workspaceId?: string | undefined },
): Promise<{ userId: string; workspaceId: string } | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email));
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    return undefined;
  }
  if (!(await verifyPassword(user.passwordHash, input.password)) || user.disabledAt) return undefined;
  const [membership] = await db
    .select({ workspaceId: memberships.workspaceId })
    .from(memberships)
    .where(
      input.workspaceId
        ? and(eq(memberships.userId, user.id), eq(memberships.workspaceId, input.workspaceId))
        : eq(memberships.userId, user.id),
    )
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  return membership ? { userId: user.id, workspaceId: membership.workspaceId } : undefined;
}

export async function changePassword(
  db: Db,
  actor: Actor,
  input: { current: string; next: string },
): Promise<void> {
  checkPassword(input.next);
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.current))) {
    throw invalid('The current password is not right', [{ path: 'current', message: 'does not match' }]);
  }
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(input.next) })
    .where(eq(users.id, actor.userId));
}

export async function listMembers(db: Db, actor: Actor): Promise<Member[]> {
  return db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, actor.workspaceId))
    .orderBy(asc(users.name), asc(users.id));
}

export async function getMember(db: Db, actor: Actor, userId: string): Promise<Member> {
  const [member] = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.userId, userId)));
  if (!member) throw notFound('User');
  return member;
}

/** Admins change names, roles and access; a workspace always keeps at least one active admin. */
export async function updateMember(
  db: Db,
  actor: Actor,
  userId: string,
  patch: { name?: string | undefined; role?: Role | undefined; disabled?: boolean | undefined },
): Promise<Member> {
  if (actor.role !== 'admin' && (userId !== actor.userId || patch.role || patch.disabled !== undefined)) {
    throw forbidden('Only admins change roles and access');
  }
  const member = await db.transaction(async (tx) => {
    const current = await getMember(tx, actor, userId);
    const losesAdmin =
      current.role === 'admin' && ((patch.role && patch.role !== 'admin') || patch.disabled === true);
    if (losesAdmin) {
      const [other] = await tx
        .select({ id: users.id })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(
          and(
            eq(memberships.workspaceId, actor.workspaceId),
            eq(memberships.role, 'admin'),
            ne(users.id, userId),
            sql`${users.disabledAt} IS NULL`,
          ),
        )
        .limit(1);
      if (!other) throw invalidState('A workspace needs at least one active admin');
    }
    if (patch.name !== undefined)
      await tx.update(users).set({ name: patch.name.trim() }).where(eq(users.id, userId));
    if (patch.disabled !== undefined) {
      await tx
        .update(users)
        .set({ disabledAt: patch.disabled ? new Date() : null })
        .where(eq(users.id, userId));
    }
    if (patch.role) {
      await tx
        .update(memberships)
        .set({ role: patch.role })
        .where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.userId, userId)));
    }
    return getMember(tx, actor, userId);
  });
  // After commit: a disabled user or a lowered role must not live on in cached API tokens.
  forgetCachedTokens();
  return member;
}

/** True when the user may be assigned tickets in the workspace (an active agent or admin). */
export async function isAssignableAgent(db: Db, workspaceId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        eq(memberships.userId, userId),
        sql`${memberships.role} IN ('agent', 'admin')`,
        sql`${users.disabledAt} IS NULL`,
      ),
    );
  return Boolean(row);
}
