import { sql } from 'drizzle-orm';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, queryRows } from '../platform/db/database.ts';

export type AnalyticsWindow = { since: Date; limit?: number | undefined };
export type QueryStat = { query: string; searches: number; clicks: number; averageResults: number };
export type UnhelpfulArticle = {
  id: string;
  title: string;
  slug: string;
  language: string;
  votes: number;
  comments: number;
};

const cap = (limit: number | undefined) => Math.min(Math.max(limit ?? 20, 1), 100);

async function queryStats(db: Db, actor: Actor, window: AnalyticsWindow, onlyEmpty: boolean) {
  const rows = await queryRows<{ query: string; searches: number; clicks: number; average_results: number }>(
    db,
    sql`SELECT normalized_query AS query, count(*)::int AS searches,
          count(clicked_article_id)::int AS clicks, avg(results_count)::float8 AS average_results
        FROM kb_search_log
        WHERE workspace_id = ${actor.workspaceId} AND created_at >= ${window.since.toISOString()}
          ${onlyEmpty ? sql`AND results_count = 0` : sql``}
        GROUP BY normalized_query
        ORDER BY searches DESC, query
        LIMIT ${cap(window.limit)}`,
  );
  return rows.map(
    (r): QueryStat => ({
      query: r.query,
      searches: r.searches,
      clicks: r.clicks,
      averageResults: Math.round(r.average_results * 10) / 10,
    }),
  );
}

/** What people search for most in the window, with how often they opened a result. */
export const topQueries = (db: Db, actor: Actor, window: AnalyticsWindow) =>
  queryStats(db, actor, window, false);

/** Searches that found nothing: the content gaps, most frequent first. */
export const noResultQueries = (db: Db, actor: Actor, window: AnalyticsWindow) =>
  queryStats(db, actor, window, true);

/**
 * Articles that never help: voted on in the window, and every vote a "no". Most "no" votes first, since
 * those are the readers the article fails most.
 */
export async function unhelpfulArticles(
  db: Db,
  actor: Actor,
  window: AnalyticsWindow,
): Promise<UnhelpfulArticle[]> {
  return queryRows<UnhelpfulArticle>(
    db,
    sql`SELECT a.id, a.title, a.slug, a.language, count(*)::int AS votes,
          count(v.comment)::int AS comments
        FROM kb_article_votes v JOIN kb_articles a ON a.id = v.article_id AND a.workspace_id = v.workspace_id
        WHERE v.workspace_id = ${actor.workspaceId} AND v.created_at >= ${window.since.toISOString()}
        GROUP BY a.id
        HAVING bool_and(NOT v.helpful)
        ORDER BY votes DESC, a.title
        LIMIT ${cap(window.limit)}`,
  );
}
