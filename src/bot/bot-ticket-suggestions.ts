import { and, desc, eq } from 'drizzle-orm';
import { messages } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { getTicket } from '../tickets/ticket-queries.ts';
import { type Suggestion, suggestArticles } from './bot-service.ts';
import { botSettingsOf } from './bot-settings.ts';

export type TicketSuggestion = Suggestion & { question: string; threshold: number };

/**
 * The bot's articles for a ticket as an agent sees it: asked with the subject and the customer's
 * latest message, so a follow-up question gets fresh articles. Agents see them even below the bot's
 * threshold (`confident` tells). Throws not_found for a ticket the actor cannot see.
 */
export async function suggestForTicket(
  db: Db,
  actor: Actor,
  input: { ticketId: string; origin: string },
): Promise<TicketSuggestion> {
  const ticket = await getTicket(db, actor, input.ticketId);
  const [latest] = await db
    .select({ body: messages.bodyText })
    .from(messages)
    .where(
      and(
        eq(messages.ticketId, ticket.id),
        eq(messages.workspaceId, actor.workspaceId),
        eq(messages.kind, 'customer_message'),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1);
  // The subject often names the topic better than a chatty message; both go into one question.
  const question = [ticket.subject, latest?.body ?? ''].join('\n').trim();
  const { threshold } = await botSettingsOf(db, actor.workspaceId);
  if (!question) return { question, threshold, confidence: 0, confident: false, articles: [] };
  const suggestion = await suggestArticles(db, {
    workspaceId: actor.workspaceId,
    question,
    threshold,
    origin: input.origin,
    // Opening a ticket is not a customer's search: keep it out of the search analytics.
    log: false,
  });
  return { ...suggestion, question, threshold };
}
