import { sql } from 'drizzle-orm';
import { users } from '../db/schema/index.ts';
import { randomToken } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';
import { createUser } from '../users/user-service.ts';
import { createWorkspace } from './workspace-service.ts';

export type FirstAdmin = { email: string; password: string | undefined; workspaceId: string };

/**
 * On an empty install, creates the first workspace and its admin: from the configured email and
 * password, else with a generated password that the caller shows once. Does nothing afterwards.
 */
export async function ensureFirstAdmin(
  db: Db,
  input: { email?: string | undefined; password?: string | undefined },
): Promise<FirstAdmin | undefined> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  if (Number(row?.n) > 0) return undefined;
  const email = input.email ?? 'admin@example.com';
  const password = input.password ?? randomToken(12);
  const workspace = await createWorkspace(db, { name: 'My helpdesk', slug: 'default' });
  try {
    await createUser(db, { workspaceId: workspace.id, email, name: 'Admin', password, role: 'admin' });
  } catch (error) {
    // Another node bootstrapped at the same moment; its admin stands.
    const [again] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
    if (Number(again?.n) > 0) return undefined;
    throw error;
  }
  return { email, password: input.password ? undefined : password, workspaceId: workspace.id };
}
