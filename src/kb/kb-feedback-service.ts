import { and, asc, eq } from 'drizzle-orm';
import { kbArticleVotes, kbSearchLog, kbSynonyms } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { invalid, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { forgetWorkspace } from './kb-search-cache.ts';
import { getArticle, type KbReader, requireAdmin } from './kb-service.ts';

export type KbSearchSource = 'help_center' | 'console' | 'bot' | 'api';
export type KbVote = typeof kbArticleVotes.$inferSelect;
export type KbSynonym = typeof kbSynonyms.$inferSelect;

export const normalizeQuery = (query: string) => query.toLowerCase().replace(/\s+/g, ' ').trim();

/** Keeps one search for analytics; resolves to its id, which clicks and votes refer back to. */
export async function logSearch(
  db: Db,
  input: { workspaceId: string; query: string; source: KbSearchSource; resultsCount: number },
): Promise<string> {
  const [row] = await db
    .insert(kbSearchLog)
    .values({
      ...input,
      query: input.query.slice(0, 500),
      normalizedQuery: normalizeQuery(input.query).slice(0, 500),
    })
    .returning({ id: kbSearchLog.id });
  return row!.id;
}

/** Notes which result a searcher opened; an unknown search id is ignored (logs are best effort). */
export async function recordSearchClick(
  db: Db,
  input: { workspaceId: string; searchId: string; articleId: string },
): Promise<void> {
  await db
    .update(kbSearchLog)
    .set({ clickedArticleId: input.articleId })
    .where(and(eq(kbSearchLog.id, input.searchId), eq(kbSearchLog.workspaceId, input.workspaceId)));
}

/**
 * "Was this helpful?": one vote on an article the reader can see, with an optional comment. With the
 * search it came from, the search counts as helpful or not too. Throws not_found for an unseen article.
 */
export async function recordVote(
  db: Db,
  reader: KbReader,
  input: {
    articleId: string;
    helpful: boolean;
    comment?: string | null | undefined;
    searchId?: string | undefined;
  },
): Promise<KbVote> {
  const comment = input.comment?.trim().slice(0, 2000) || null;
  return db.transaction(async (tx) => {
    const article = await getArticle(tx, reader, input.articleId);
    let searchId: string | null = null;
    if (input.searchId) {
      const updated = await tx
        .update(kbSearchLog)
        .set({ helpful: input.helpful, clickedArticleId: article.id })
        .where(and(eq(kbSearchLog.id, input.searchId), eq(kbSearchLog.workspaceId, reader.workspaceId)))
        .returning({ id: kbSearchLog.id });
      searchId = updated[0]?.id ?? null;
    }
    const [vote] = await tx
      .insert(kbArticleVotes)
      .values({
        workspaceId: reader.workspaceId,
        articleId: article.id,
        helpful: input.helpful,
        comment,
        searchLogId: searchId,
      })
      .returning();
    await recordEvent(tx, {
      workspaceId: reader.workspaceId,
      type: 'kb.article.voted',
      payload: { id: article.id, voteId: vote!.id, helpful: input.helpful, hasComment: comment !== null },
    });
    return vote!;
  });
}

const cleanTerms = (terms: string[]) => [...new Set(terms.map(normalizeQuery).filter(Boolean))];

/** The workspace's synonym groups; search treats the terms of one group as the same word. */
export async function listSynonyms(db: Db, workspaceId: string): Promise<KbSynonym[]> {
  return db
    .select()
    .from(kbSynonyms)
    .where(eq(kbSynonyms.workspaceId, workspaceId))
    .orderBy(asc(kbSynonyms.createdAt), asc(kbSynonyms.id));
}

export async function createSynonym(db: Db, actor: Actor, input: { terms: string[] }): Promise<KbSynonym> {
  requireAdmin(actor);
  const terms = cleanTerms(input.terms);
  if (terms.length < 2) throw invalid('A synonym group needs at least two different terms');
  const created = await db.transaction(async (tx) => {
    const [row] = await tx.insert(kbSynonyms).values({ workspaceId: actor.workspaceId, terms }).returning();
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'kb.synonyms.changed',
      payload: { id: row!.id, actorId: actor.userId },
    });
    return row!;
  });
  forgetWorkspace(actor.workspaceId);
  return created;
}

export async function deleteSynonym(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(kbSynonyms)
      .where(and(eq(kbSynonyms.id, id), eq(kbSynonyms.workspaceId, actor.workspaceId)))
      .returning({ id: kbSynonyms.id });
    if (deleted.length === 0) throw notFound('Synonym group');
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'kb.synonyms.changed',
      payload: { id, actorId: actor.userId },
    });
  });
  forgetWorkspace(actor.workspaceId);
}
