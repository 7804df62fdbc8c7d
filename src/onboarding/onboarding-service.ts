import { sql } from 'drizzle-orm';
import { demoCustomers } from '../demo/demo-data.ts';
import { DEMO_EMAIL_DOMAIN, type DemoSeedResult, seedDemoWorkspace } from '../demo/demo-seed.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { conflict, forbidden } from '../platform/errors.ts';

export type ChecklistKey = 'channel' | 'agents' | 'demo';

// A ticket is demo data when its customer is one of the demo's; anything else came from real use.
const demoCustomer = (ticketCustomer: string) =>
  sql`EXISTS (SELECT 1 FROM customer_identities ci WHERE ci.customer_id = ${sql.raw(ticketCustomer)} AND ci.kind = 'email' AND ci.value IN (${sql.join(
    demoCustomers.map((customer) => sql`${customer.email.toLowerCase()}`),
    sql`, `,
  )}))`;

/**
 * What a new workspace still has to do: connect a channel (a ticket arrived other than through the API
 * and not from the demo), invite agents (a member besides the demo's and the first admin) and load the
 * demo. `empty` means no tickets at all.
 */
export async function readOnboarding(db: Db, actor: Actor) {
  const [row] = await queryRows<{ any: boolean; channel: boolean; demo: boolean; members: number }>(
    db,
    sql`SELECT
          EXISTS (SELECT 1 FROM tickets t WHERE t.workspace_id = ${actor.workspaceId}) AS any,
          EXISTS (SELECT 1 FROM tickets t WHERE t.workspace_id = ${actor.workspaceId} AND t.channel <> 'api'
                  AND NOT ${demoCustomer('t.customer_id')}) AS channel,
          EXISTS (SELECT 1 FROM tickets t WHERE t.workspace_id = ${actor.workspaceId}
                  AND ${demoCustomer('t.customer_id')}) AS demo,
          (SELECT count(*)::int FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.workspace_id = ${actor.workspaceId} AND u.email NOT LIKE ${`%${DEMO_EMAIL_DOMAIN}`}) AS members`,
  );
  const checklist: { key: ChecklistKey; done: boolean }[] = [
    { key: 'channel', done: Boolean(row?.channel) },
    { key: 'agents', done: Number(row?.members ?? 0) > 1 },
    { key: 'demo', done: Boolean(row?.demo) },
  ];
  return { empty: !row?.any, checklist };
}

// One seeding per workspace at a time in this process: a double click must not load the demo twice.
const seeding = new Set<string>();

/**
 * Loads the demo helpdesk into an empty workspace (admins only). Throws conflict once the workspace has
 * tickets, so real data is never mixed with the demo's.
 */
export async function seedDemo(
  db: Db,
  actor: Actor,
  options: { clock?: Clock | undefined } = {},
): Promise<DemoSeedResult> {
  if (actor.role !== 'admin') throw forbidden('Only admins load demo data');
  if (seeding.has(actor.workspaceId)) throw conflict('The demo data is already being loaded');
  seeding.add(actor.workspaceId);
  try {
    const { empty } = await readOnboarding(db, actor);
    if (!empty) throw conflict('Demo data only goes into a workspace without tickets');
    return await seedDemoWorkspace(db, { workspaceId: actor.workspaceId, clock: options.clock });
  } finally {
    seeding.delete(actor.workspaceId);
  }
}
