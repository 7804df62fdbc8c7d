import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { intelMessageSentiments, intelTicketSentiments, messages } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import { getTicket } from '../tickets/ticket-queries.ts';
import { customerMessageTicket, customerMessageTickets } from './customer-message-events.ts';
import { analyzeMessage, labelOf } from './sentiment-signals.ts';

/** improving / worsening when the latest customer message moved this far from the first. */
const TREND_STEP = 0.25;

type ThreadMessage = { id: string; ticketId: string; kind: string; body: string; scored: string | null };
type Score = typeof intelMessageSentiments.$inferSelect;

/** Unscored customer messages of one ticket's thread (oldest first), scored with their context. */
function freshScores(workspaceId: string, ticketId: string, thread: ThreadMessage[]) {
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
  return fresh;
}

/** The ticket's mood from its message scores, oldest first. */
function moodOf(workspaceId: string, scores: Score[]) {
  const first = scores[0]!;
  const last = scores[scores.length - 1]!;
  const delta = last.score - first.score;
  const recent = scores.slice(-3);
  return {
    workspaceId,
    label: labelOf(last.score),
    score: last.score,
    trend: delta >= TREND_STEP ? 'improving' : delta <= -TREND_STEP ? 'worsening' : 'steady',
    frustration: Math.max(...recent.map((s) => s.frustration)),
    urgency: Math.max(...recent.map((s) => s.urgency)),
    messages: scores.length,
  };
}

/**
 * Scores the customer messages without a score on each ticket, then each ticket's mood and trend, in
 * four statements for any number of tickets (a busy chat sends the relay many at once).
 */
async function scoreTickets(db: Db, wanted: Map<string, string>): Promise<void> {
  if (wanted.size === 0) return;
  const ids = [...wanted.keys()];
  const rows = await db
    .select({
      id: messages.id,
      ticketId: messages.ticketId,
      workspaceId: messages.workspaceId,
      kind: messages.kind,
      body: messages.bodyText,
      scored: intelMessageSentiments.messageId,
    })
    .from(messages)
    .leftJoin(intelMessageSentiments, eq(intelMessageSentiments.messageId, messages.id))
    .where(inArray(messages.ticketId, ids))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  const threads = new Map<string, ThreadMessage[]>();
  for (const row of rows) {
    // A ticket is scored only within the workspace its event came from.
    if (wanted.get(row.ticketId) !== row.workspaceId) continue;
    const thread = threads.get(row.ticketId) ?? [];
    thread.push(row);
    threads.set(row.ticketId, thread);
  }
  const fresh = [...threads].flatMap(([ticketId, thread]) =>
    freshScores(wanted.get(ticketId)!, ticketId, thread),
  );
  if (fresh.length === 0) return;
  await db.insert(intelMessageSentiments).values(fresh).onConflictDoNothing();
  const touched = [...new Set(fresh.map((f) => f.ticketId))];
  const scores = await db
    .select({ score: intelMessageSentiments })
    .from(intelMessageSentiments)
    .innerJoin(messages, eq(messages.id, intelMessageSentiments.messageId))
    .where(inArray(intelMessageSentiments.ticketId, touched))
    .orderBy(asc(intelMessageSentiments.createdAt), asc(messages.createdAt), asc(messages.id));
  const byTicket = new Map<string, Score[]>();
  for (const { score } of scores) {
    if (wanted.get(score.ticketId) !== score.workspaceId) continue;
    byTicket.set(score.ticketId, [...(byTicket.get(score.ticketId) ?? []), score]);
  }
  const moods = [...byTicket].map(([ticketId, list]) => ({
    ticketId,
    ...moodOf(wanted.get(ticketId)!, list),
    updatedAt: new Date(),
  }));
  if (moods.length === 0) return;
  const excluded = (column: string) => sql.raw(`excluded.${column}`);
  await db
    .insert(intelTicketSentiments)
    .values(moods)
    .onConflictDoUpdate({
      target: intelTicketSentiments.ticketId,
      set: {
        workspaceId: excluded('workspace_id'),
        label: excluded('label'),
        score: excluded('score'),
        trend: excluded('trend'),
        frustration: excluded('frustration'),
        urgency: excluded('urgency'),
        messages: excluded('messages'),
        updatedAt: excluded('updated_at'),
      },
    });
}

const scoreTicket = (db: Db, workspaceId: string, ticketId: string) =>
  scoreTickets(db, new Map([[ticketId, workspaceId]]));

/** Scores every customer message as it arrives, by mail, chat, form or API, and the ticket's trend. */
export const messageSentiments: OutboxHandler = {
  name: 'intel.message-sentiments',
  handles: (type) => type === 'message.created' || type === 'ticket.created',
  async handle(tx, event) {
    const ticketId = customerMessageTicket(event);
    if (ticketId) await scoreTicket(tx, event.workspaceId, ticketId);
  },
  handleBatch: (tx, events) => scoreTickets(tx, customerMessageTickets(events)),
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
