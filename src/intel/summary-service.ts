import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { listMessages } from '../tickets/ticket-queries.ts';
import { summarizeThread, type ThreadSummary } from './summary-engine.ts';

/** The ticket thread's extractive summary (notes included: it is for the next agent). Throws not_found. */
export async function ticketSummary(
  db: Db,
  actor: Actor,
  ticketId: string,
  options: { sentences?: number | undefined } = {},
): Promise<ThreadSummary> {
  const rows = await listMessages(db, actor, ticketId);
  return summarizeThread(
    rows.map(({ message }) => ({ id: message.id, kind: message.kind, body: message.bodyText })),
    options.sentences,
  );
}
