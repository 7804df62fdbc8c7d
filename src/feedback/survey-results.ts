import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { surveyResponses } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import type { CreatedCursor } from '../platform/http/cursor.ts';
import type { SurveyKind } from './survey-service.ts';

export type SurveyResponseRow = typeof surveyResponses.$inferSelect;

export type ResponseFilter = {
  ticketId?: string | undefined;
  customerId?: string | undefined;
  agentId?: string | undefined;
  kind?: SurveyKind | undefined;
};

export type ResponseSummary = { kind: SurveyKind; answers: number; average: number; positive: number };

function conditionsOf(workspaceId: string, filter: ResponseFilter): SQL[] {
  const conditions = [eq(surveyResponses.workspaceId, workspaceId)];
  if (filter.ticketId) conditions.push(eq(surveyResponses.ticketId, filter.ticketId));
  if (filter.customerId) conditions.push(eq(surveyResponses.customerId, filter.customerId));
  if (filter.agentId) conditions.push(eq(surveyResponses.agentId, filter.agentId));
  if (filter.kind) conditions.push(eq(surveyResponses.kind, filter.kind));
  return conditions;
}

/**
 * Survey answers of the workspace, newest first, filtered by ticket, customer, agent or kind, with a
 * summary of everything the filter matches: answers, mean score and the share of positive answers
 * (CSAT 4–5, NPS promoters 9–10, CES 5–7).
 */
export async function listSurveyResponses(
  db: Db,
  actor: Actor,
  filter: ResponseFilter & { limit: number; cursor?: CreatedCursor | undefined },
) {
  const conditions = conditionsOf(actor.workspaceId, filter);
  const page = [...conditions];
  if (filter.cursor)
    page.push(
      sql`(${surveyResponses.answeredAt}, ${surveyResponses.id}) < (${filter.cursor.createdAt}::timestamptz, ${filter.cursor.id}::uuid)`,
    );
  const rows = await db
    .select()
    .from(surveyResponses)
    .where(and(...page))
    .orderBy(desc(surveyResponses.answeredAt), desc(surveyResponses.id))
    .limit(filter.limit + 1);
  const summary = await db
    .select({
      kind: surveyResponses.kind,
      answers: sql<number>`count(*)::int`,
      average: sql<number>`round(avg(${surveyResponses.score}), 2)::float8`,
      positive: sql<number>`round(avg(CASE WHEN ${surveyResponses.score} >= CASE ${surveyResponses.kind}
        WHEN 'csat' THEN 4 WHEN 'nps' THEN 9 ELSE 5 END THEN 1.0 ELSE 0.0 END), 4)::float8`,
    })
    .from(surveyResponses)
    .where(and(...conditions))
    .groupBy(surveyResponses.kind)
    .orderBy(surveyResponses.kind);
  const data = rows.slice(0, filter.limit);
  const last = data.at(-1);
  return {
    data,
    summary: summary as ResponseSummary[],
    nextCursor:
      rows.length > filter.limit && last
        ? { createdAt: last.answeredAt.toISOString(), id: last.id }
        : undefined,
  };
}
