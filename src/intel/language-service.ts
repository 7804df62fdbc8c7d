import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { intelMessageLanguages, messages } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import { getTicket } from '../tickets/ticket-queries.ts';
import { customerMessageTicket, customerMessageTickets } from './customer-message-events.ts';
import { detectLanguage } from './language-detect.ts';

export type MessageLanguage = { messageId: string; language: string; confidence: number };

/**
 * Detects and stores the language of the customer messages without one on each ticket (ticket id →
 * its workspace), in two statements for any number of tickets.
 */
async function fillMissingOf(db: Db, wanted: Map<string, string>): Promise<void> {
  if (wanted.size === 0) return;
  const missing = await db
    .select({
      id: messages.id,
      ticketId: messages.ticketId,
      workspaceId: messages.workspaceId,
      body: messages.bodyText,
    })
    .from(messages)
    .leftJoin(intelMessageLanguages, eq(intelMessageLanguages.messageId, messages.id))
    .where(
      and(
        inArray(messages.ticketId, [...wanted.keys()]),
        eq(messages.kind, 'customer_message'),
        isNull(intelMessageLanguages.messageId),
      ),
    );
  const mine = missing.filter((m) => wanted.get(m.ticketId) === m.workspaceId);
  if (mine.length === 0) return;
  await db
    .insert(intelMessageLanguages)
    .values(mine.map((m) => ({ messageId: m.id, workspaceId: m.workspaceId, ...detectLanguage(m.body) })))
    .onConflictDoNothing();
}

const fillMissing = (db: Db, workspaceId: string, ticketId: string) =>
  fillMissingOf(db, new Map([[ticketId, workspaceId]]));

/** The ticket's language: the one its customer messages show with the most confidence in total. */
export function ticketLanguage(rows: readonly MessageLanguage[]): string {
  const totals = new Map<string, number>();
  for (const row of rows)
    if (row.language !== 'und')
      totals.set(row.language, (totals.get(row.language) ?? 0) + row.confidence + 0.01);
  return [...totals].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'und';
}

/**
 * The language of each customer message on the ticket, oldest first, detecting any not stored yet
 * (messages from before language detection). Throws not_found for a ticket the actor cannot see.
 */
export async function ticketLanguages(db: Db, actor: Actor, ticketId: string) {
  await getTicket(db, actor, ticketId);
  await fillMissing(db, actor.workspaceId, ticketId);
  const rows = await db
    .select({
      messageId: intelMessageLanguages.messageId,
      language: intelMessageLanguages.language,
      confidence: intelMessageLanguages.confidence,
    })
    .from(intelMessageLanguages)
    .innerJoin(messages, eq(messages.id, intelMessageLanguages.messageId))
    .where(and(eq(messages.ticketId, ticketId), eq(messages.workspaceId, actor.workspaceId)))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  return { language: ticketLanguage(rows), messages: rows };
}

/** Stores the language of every new customer message as it arrives, by mail, chat, form or API. */
export const messageLanguages: OutboxHandler = {
  name: 'intel.message-languages',
  handles: (type) => type === 'message.created' || type === 'ticket.created',
  async handle(tx, event) {
    const ticketId = customerMessageTicket(event);
    if (ticketId) await fillMissing(tx, event.workspaceId, ticketId);
  },
  handleBatch: (tx, events) => fillMissingOf(tx, customerMessageTickets(events)),
};
