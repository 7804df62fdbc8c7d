import { sql } from 'drizzle-orm';
import { users } from '../db/schema/index.ts';
import { randomToken } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';
import { createUser } from '../users/user-service.ts';
import { createWorkspace } from './workspace-service.ts';

const BOOTSTRAP_LOCK = 7_241_902;

export type FirstAdmin = { email: string; password: string | undefined; workspaceId: string };

/**
 * On an empty install, creates the first workspace and its admin: from the configured email and
 * password, else with a generated password that the caller shows once. Does nothing afterwards.
 */
export async function ensureFirstAdmin(
  db: Db,
  input: { email?: string | undefined; password?: string | undefined },
): Promise<FirstAdmin | undefined> {
  const email = input.email ?? 'admin@example.com';
  const password = input.password ?? randomToken(12);
  return db.transaction(async (tx) => {
    // Nodes starting together on an empty database take turns; the first one bootstraps.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
    const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(users);
    if (Number(row?.n) > 0) return undefined;
    const workspace = await createWorkspace(tx, { name: 'My helpdesk', slug: 'default' });
    await createUser(tx, { workspaceId: workspace.id, email, name: 'Admin', password, role: 'admin' });
    return { email, password: input.password ? undefined : password, workspaceId: workspace.id };
  });
}
