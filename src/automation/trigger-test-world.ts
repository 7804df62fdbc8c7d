import { and, asc, eq } from 'drizzle-orm';
import { makeWorkspace } from '../../test/support/factories.ts';
import { ticketEvents, tickets } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import { createLogger } from '../platform/logger.ts';
import { createOutboxRelay, type OutboxHandler } from '../platform/outbox/relay.ts';
import { triggerEngine } from './trigger-engine.ts';

/**
 * Test helper: a fresh workspace whose outbox is relayed to the trigger engine (and any further
 * handlers) until the events the triggers' own changes produce are handled too.
 */
export async function triggerWorld(database: Database, handlers: OutboxHandler[] = [triggerEngine]) {
  const { workspace, admin } = await makeWorkspace(database.db);
  const outboxRelay = createOutboxRelay({
    database,
    handlers,
    logger: createLogger('silent'),
    workspaceId: workspace.id,
  });
  const relay = {
    async drain() {
      for (let rounds = 0; (await outboxRelay.drain()) > 0; rounds++)
        if (rounds > 50) throw new Error('no end');
    },
  };
  const ticketNow = async (id: string) =>
    (await database.db.select().from(tickets).where(eq(tickets.id, id)))[0]!;
  const auditRows = (id: string) =>
    database.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, id), eq(ticketEvents.type, 'trigger.fired')))
      .orderBy(asc(ticketEvents.id));
  /** The names of the triggers in each audit line of the ticket, oldest first. */
  const audit = async (id: string) =>
    (await auditRows(id)).map((row) => (row.changes.triggers as { name: string }[]).map((t) => t.name));
  return { workspace, admin, relay, ticketNow, audit, auditRows };
}
