import { and, desc, eq, sql } from 'drizzle-orm';
import { kbBotAttempts, messages, tickets, workspaces } from '../db/schema/index.ts';
import { helpUrls } from '../helpcenter/helpcenter-pages.ts';
import { searchArticles } from '../kb/kb-search.ts';
import { automationActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { addMessage } from '../tickets/message-service.ts';
import { confidenceOf } from './bot-confidence.ts';
import {
  HANDOVER_TEXT,
  handoverNote,
  type OfferedArticle,
  offerText,
  readAnswer,
  SOLVED_TEXT,
} from './bot-replies.ts';
import type { BotSettings } from './bot-settings.ts';

export const MAX_OFFERED = 3;
const MAX_QUESTION = 1000;

export type Suggestion = { confidence: number; confident: boolean; articles: OfferedArticle[] };

/**
 * Up to three published articles for a question, through the one knowledge-base search, with the
 * calibrated confidence that they answer it and whether that clears the workspace's threshold.
 */
export async function suggestArticles(
  db: Db,
  input: { workspaceId: string; question: string; threshold: number; origin: string; log?: boolean },
): Promise<Suggestion> {
  const { hits, documents } = await searchArticles(db, {
    workspaceId: input.workspaceId,
    audience: 'public',
    query: input.question.slice(0, MAX_QUESTION),
    source: 'bot',
    limit: MAX_OFFERED,
    prefix: false,
    log: input.log,
  });
  const confidence = confidenceOf(hits, documents);
  const [workspace] = await db
    .select({ slug: workspaces.slug })
    .from(workspaces)
    .where(eq(workspaces.id, input.workspaceId));
  if (!workspace) throw notFound('Workspace');
  const urls = helpUrls(input.origin, workspace.slug);
  return {
    confidence,
    confident: hits.length > 0 && confidence >= input.threshold,
    articles: hits.map((h) => ({
      id: h.id,
      title: h.title,
      url: `${urls.origin}${urls.article(h.slug, h.language)}`,
      excerpt: h.excerpt,
    })),
  };
}

type BotMeta = { attemptId: string; kind: 'offer' | 'solved' | 'handover'; articles?: OfferedArticle[] };
const botMeta = (bot: BotMeta) => ({ automation: { kind: 'answer_bot' }, bot });

export type AttemptRow = typeof kbBotAttempts.$inferSelect;

/**
 * The bot's turn on a ticket's first customer message: records the attempt (silent below the
 * threshold) and, when confident, offers the articles as a public reply and sets the ticket pending
 * on the customer's "did this answer your question?". Returns the attempt.
 */
export async function answerQuestion(
  tx: Db,
  settings: BotSettings,
  input: { workspaceId: string; ticketId: string; channel: string; question: string; origin: string },
): Promise<AttemptRow> {
  const suggestion = await suggestArticles(tx, { ...input, threshold: settings.threshold });
  const offered = suggestion.confident;
  const [attempt] = await tx
    .insert(kbBotAttempts)
    .values({
      workspaceId: input.workspaceId,
      ticketId: input.ticketId,
      channel: input.channel,
      question: input.question.slice(0, MAX_QUESTION),
      articleIds: offered ? suggestion.articles.map((a) => a.id) : [],
      confidence: suggestion.confidence,
      offered,
      outcome: offered ? 'pending' : 'silent',
    })
    .returning();
  await recordEvent(tx, {
    workspaceId: input.workspaceId,
    type: offered ? 'answer_bot.offered' : 'answer_bot.silent',
    payload: { attemptId: attempt!.id, ticketId: input.ticketId, confidence: suggestion.confidence },
  });
  if (offered) {
    await addMessage(tx, automationActor(input.workspaceId), input.ticketId, {
      kind: 'public_reply',
      body: offerText(suggestion.articles),
      status: 'pending',
      channelMeta: botMeta({ attemptId: attempt!.id, kind: 'offer', articles: suggestion.articles }),
    });
  }
  return attempt!;
}

/** The attempt on this ticket still waiting for the customer's answer, if any. */
export async function pendingAttempt(tx: Db, workspaceId: string, ticketId: string) {
  const [row] = await tx
    .select()
    .from(kbBotAttempts)
    .where(
      and(
        eq(kbBotAttempts.workspaceId, workspaceId),
        eq(kbBotAttempts.ticketId, ticketId),
        eq(kbBotAttempts.outcome, 'pending'),
        sql`${kbBotAttempts.resolvedAt} IS NULL`,
      ),
    )
    .orderBy(desc(kbBotAttempts.createdAt))
    .limit(1);
  return row;
}

/** Whether the bot already had its turn on this ticket (it answers a ticket once). */
export async function attemptedBefore(tx: Db, workspaceId: string, ticketId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: kbBotAttempts.id })
    .from(kbBotAttempts)
    .where(and(eq(kbBotAttempts.workspaceId, workspaceId), eq(kbBotAttempts.ticketId, ticketId)))
    .limit(1);
  return Boolean(row);
}

/** Settles a pending attempt exactly once; undefined when someone else settled it first. */
async function settle(tx: Db, attempt: AttemptRow, outcome: 'pending' | 'accepted' | 'rejected') {
  const [row] = await tx
    .update(kbBotAttempts)
    .set({
      outcome,
      resolvedAt: sql`now()`,
      ...(outcome === 'accepted' && { acceptedArticleId: attempt.articleIds[0] ?? null }),
    })
    .where(
      and(
        eq(kbBotAttempts.id, attempt.id),
        eq(kbBotAttempts.outcome, 'pending'),
        sql`${kbBotAttempts.resolvedAt} IS NULL`,
      ),
    )
    .returning();
  if (row) {
    await recordEvent(tx, {
      workspaceId: attempt.workspaceId,
      type: 'answer_bot.settled',
      payload: { attemptId: attempt.id, ticketId: attempt.ticketId, outcome },
    });
  }
  return row;
}

async function offeredArticles(tx: Db, attempt: AttemptRow): Promise<OfferedArticle[]> {
  const [offer] = await tx
    .select({ meta: messages.channelMeta })
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, attempt.workspaceId),
        eq(messages.ticketId, attempt.ticketId!),
        sql`${messages.channelMeta} -> 'bot' ->> 'attemptId' = ${attempt.id}`,
        sql`${messages.channelMeta} -> 'bot' ->> 'kind' = 'offer'`,
      ),
    );
  return ((offer?.meta.bot as BotMeta | undefined)?.articles ?? []) as OfferedArticle[];
}

/**
 * The customer's reply to the bot's offer. "Yes" solves the ticket as the bot's (the attempt counts as
 * deflected); "no", "talk to a human" or anything else hands the ticket to a person, with a note
 * holding the question, the articles offered and the customer's answer.
 */
export async function handleCustomerReply(tx: Db, attempt: AttemptRow, text: string) {
  const answer = readAnswer(text);
  const actor = automationActor(attempt.workspaceId);
  const ticketId = attempt.ticketId!;
  if (answer === 'yes') {
    if (!(await settle(tx, attempt, 'accepted'))) return 'settled' as const;
    await addMessage(tx, actor, ticketId, {
      kind: 'public_reply',
      body: SOLVED_TEXT,
      status: 'solved',
      channelMeta: botMeta({ attemptId: attempt.id, kind: 'solved' }),
    });
    return answer;
  }
  if (!(await settle(tx, attempt, 'rejected'))) return 'settled' as const;
  await addMessage(tx, actor, ticketId, {
    kind: 'public_reply',
    body: HANDOVER_TEXT,
    status: 'open',
    channelMeta: botMeta({ attemptId: attempt.id, kind: 'handover' }),
  });
  await noteHandover(tx, attempt, answer, text);
  return answer;
}

async function noteHandover(
  tx: Db,
  attempt: AttemptRow,
  reason: 'no' | 'human' | 'other' | 'silence',
  text: string | null,
) {
  await addMessage(tx, automationActor(attempt.workspaceId), attempt.ticketId!, {
    kind: 'internal_note',
    body: handoverNote({
      question: attempt.question,
      articles: await offeredArticles(tx, attempt),
      confidence: attempt.confidence,
      reason,
      answer: text,
    }),
    ...(reason === 'silence' && { status: 'open' as const }),
    channelMeta: botMeta({ attemptId: attempt.id, kind: 'handover' }),
  });
}

/** A person answered while the bot waited: the customer's next "yes" is theirs, not the bot's. */
export async function stopWaiting(tx: Db, attempt: AttemptRow) {
  await settle(tx, attempt, 'rejected');
}

/**
 * No answer to the offer in time: a person takes the ticket (status open, with the bot's note). The
 * attempt keeps outcome pending with resolvedAt set, so the 72-hour rule of the deflection rate
 * still decides whether the customer's silence meant they were helped.
 */
export async function handOverOnSilence(db: Db, input: { workspaceId: string; attemptId: string }) {
  await db.transaction(async (tx) => {
    const [attempt] = await tx
      .select()
      .from(kbBotAttempts)
      .where(and(eq(kbBotAttempts.id, input.attemptId), eq(kbBotAttempts.workspaceId, input.workspaceId)));
    if (!attempt?.ticketId) return;
    if (!(await settle(tx, attempt, 'pending'))) return;
    const [ticket] = await tx
      .select({ status: tickets.status })
      .from(tickets)
      .where(and(eq(tickets.id, attempt.ticketId), eq(tickets.workspaceId, input.workspaceId)));
    if (ticket?.status !== 'pending') return;
    await noteHandover(tx, attempt, 'silence', null);
  });
}

/** One attempt of this workspace, for the API. */
export async function getAttempt(db: Db, workspaceId: string, attemptId: string) {
  const [row] = await db
    .select()
    .from(kbBotAttempts)
    .where(and(eq(kbBotAttempts.id, attemptId), eq(kbBotAttempts.workspaceId, workspaceId)));
  if (!row) throw notFound('Answer-bot attempt');
  return row;
}
