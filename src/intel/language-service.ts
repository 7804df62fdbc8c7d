import { and, asc, eq, isNull } from 'drizzle-orm';
import { intelMessageLanguages, messages } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import type { OutboxEvent } from '../platform/outbox/outbox.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import { getTicket } from '../tickets/ticket-queries.ts';
import { detectLanguage } from './language-detect.ts';

export type MessageLanguage = { messageId: string; language: string; confidence: number };

/** Detects and stores the language of the ticket's customer messages that have none yet. */
async function fillMissing(db: Db, workspaceId: string, ticketId: string): Promise<void> {
  const missing = await db
    .select({ id: messages.id, body: messages.bodyText })
    .from(messages)
    .leftJoin(intelMessageLanguages, eq(intelMessageLanguages.messageId, messages.id))
    .where(
      and(
        eq(messages.ticketId, ticketId),
        eq(messages.workspaceId, workspaceId),
        eq(messages.kind, 'customer_message'),
        isNull(intelMessageLanguages.messageId),
      ),
    );
  if (missing.length === 0) return;
  await db
    .insert(intelMessageLanguages)
    .values(missing.map((m) => ({ messageId: m.id, workspaceId, ...detectLanguage(m.body) })))
    .onConflictDoNothing();
}

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

const ticketIdOf = (event: OutboxEvent) => {
  const ticket = event.payload.ticket as { id?: unknown } | undefined;
  return typeof ticket?.id === 'string' ? ticket.id : undefined;
};

/** Stores the language of every new customer message as it arrives, by mail, chat, form or API. */
export const messageLanguages: OutboxHandler = {
  name: 'intel.message-languages',
  handles: (type) => type === 'message.created' || type === 'ticket.created',
  async handle(tx, event) {
    const message = event.payload.message as { kind?: unknown } | undefined;
    if (event.type === 'message.created' && message?.kind !== 'customer_message') return;
    const ticketId = ticketIdOf(event);
    if (ticketId) await fillMissing(tx, event.workspaceId, ticketId);
  },
};
