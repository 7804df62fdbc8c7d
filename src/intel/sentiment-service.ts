import { and, asc, eq, isNull } from 'drizzle-orm';
import { intelMessageSentiments, intelTicketSentiments, messages } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import { getTicket } from '../tickets/ticket-queries.ts';
import { analyzeMessage, labelOf } from './sentiment-signals.ts';

/** improving / worsening when the latest customer message moved this far from the first. */
const TREND_STEP = 0.25;

/** Scores the ticket's customer messages that have no score yet, then the ticket's mood and trend. */
async function scoreTicket(db: Db, workspaceId: string, ticketId: string): Promise<void> {
  const thread = await db
    .select({
      id: messages.id,
      kind: messages.kind,
      body: messages.bodyText,
      scored: intelMessageSentiments.messageId,
    })
    .from(messages)
    .leftJoin(intelMessageSentiments, eq(intelMessageSentiments.messageId, messages.id))
    .where(and(eq(messages.ticketId, ticketId), eq(messages.workspaceId, workspaceId)))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  let unanswered = 0;
  const fresh = [];
  for (const m of thread) {
    if (m.kind === 'public_reply') unanswered = 0;
    if (m.kind !== 'customer_message') continue;
    if (!m.scored)
      fresh.push({
        messageId: m.id,
        workspaceId,
        ticketId,
        ...analyzeMessage(m.body, { unansweredBefore: unanswered }),
      });
    unanswered++;
  }
  if (fresh.length === 0) return;
  await db.insert(intelMessageSentiments).values(fresh).onConflictDoNothing();
  const scores = await db
    .select()
    .from(intelMessageSentiments)
    .where(
      and(eq(intelMessageSentiments.ticketId, ticketId), eq(intelMessageSentiments.workspaceId, workspaceId)),
    )
    .orderBy(asc(intelMessageSentiments.createdAt));
  const first = scores[0]!;
  const last = scores[scores.length - 1]!;
  const delta = last.score - first.score;
  const recent = scores.slice(-3);
  const row = {
    workspaceId,
    label: labelOf(last.score),
    score: last.score,
    trend: delta >= TREND_STEP ? 'improving' : delta <= -TREND_STEP ? 'worsening' : 'steady',
    frustration: Math.max(...recent.map((s) => s.frustration)),
    urgency: Math.max(...recent.map((s) => s.urgency)),
    messages: scores.length,
  };
  await db
    .insert(intelTicketSentiments)
    .values({ ticketId, ...row })
    .onConflictDoUpdate({ target: intelTicketSentiments.ticketId, set: { ...row, updatedAt: new Date() } });
}

/** Scores every customer message as it arrives, by mail, chat, form or API, and the ticket's trend. */
export const messageSentiments: OutboxHandler = {
  name: 'intel.message-sentiments',
  handles: (type) => type === 'message.created' || type === 'ticket.created',
  async handle(tx, event) {
    const message = event.payload.message as { kind?: unknown } | undefined;
    if (event.type === 'message.created' && message?.kind !== 'customer_message') return;
    const ticket = event.payload.ticket as { id?: unknown } | undefined;
    if (typeof ticket?.id === 'string') await scoreTicket(tx, event.workspaceId, ticket.id);
  },
};

/**
 * The ticket's mood (label of the latest customer message, trend, peak frustration and urgency of the
 * last three) and each customer message's score, oldest first; scores any not scored yet. Throws
 * not_found for a ticket the actor cannot see.
 */
export async function ticketSentiment(db: Db, actor: Actor, ticketId: string) {
  await getTicket(db, actor, ticketId);
  const [missing] = await db
    .select({ id: messages.id })
    .from(messages)
    .leftJoin(intelMessageSentiments, eq(intelMessageSentiments.messageId, messages.id))
    .where(
      and(
        eq(messages.ticketId, ticketId),
        eq(messages.workspaceId, actor.workspaceId),
        eq(messages.kind, 'customer_message'),
        isNull(intelMessageSentiments.messageId),
      ),
    )
    .limit(1);
  if (missing) await scoreTicket(db, actor.workspaceId, ticketId);
  const [ticket] = await db
    .select()
    .from(intelTicketSentiments)
    .where(
      and(
        eq(intelTicketSentiments.ticketId, ticketId),
        eq(intelTicketSentiments.workspaceId, actor.workspaceId),
      ),
    );
  const rows = await db
    .select()
    .from(intelMessageSentiments)
    .where(
      and(
        eq(intelMessageSentiments.ticketId, ticketId),
        eq(intelMessageSentiments.workspaceId, actor.workspaceId),
      ),
    )
    .orderBy(asc(intelMessageSentiments.createdAt));
  return {
    ticket: ticket
      ? {
          label: ticket.label,
          score: ticket.score,
          trend: ticket.trend,
          frustration: ticket.frustration,
          urgency: ticket.urgency,
          messages: ticket.messages,
        }
      : null,
    messages: rows.map((r) => ({
      messageId: r.messageId,
      score: r.score,
      label: r.label,
      frustration: r.frustration,
      urgency: r.urgency,
      signals: r.signals,
    })),
  };
}

/** The ticket's current sentiment label and urgency (0 to 1), or null before any customer message was scored. */
export async function ticketMood(
  db: Db,
  workspaceId: string,
  ticketId: string,
): Promise<{ label: string; urgency: number } | null> {
  const [row] = await db
    .select({ label: intelTicketSentiments.label, urgency: intelTicketSentiments.urgency })
    .from(intelTicketSentiments)
    .where(
      and(eq(intelTicketSentiments.ticketId, ticketId), eq(intelTicketSentiments.workspaceId, workspaceId)),
    );
  return row ?? null;
}
