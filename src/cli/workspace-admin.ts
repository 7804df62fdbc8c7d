import { and, asc, eq } from 'drizzle-orm';
import { memberships, workspaces } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import { ensureFirstAdmin } from '../workspaces/bootstrap.ts';
import { CliError } from './cli-error.ts';

/** The first admin of the workspace a CLI command works on, making the default one on a fresh install. */
export async function workspaceAdmin(db: Db, config: Config, slug: string): Promise<Actor> {
  await ensureFirstAdmin(db, { email: config.RAPPORT_ADMIN_EMAIL, password: config.RAPPORT_ADMIN_PASSWORD });
  const [admin] = await db
    .select({ userId: memberships.userId, workspaceId: memberships.workspaceId })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(and(eq(workspaces.slug, slug), eq(memberships.role, 'admin')))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (!admin) throw new CliError(`No workspace "${slug}" with an admin; run "rapport start" once first`);
  return { ...admin, role: 'admin' };
}
