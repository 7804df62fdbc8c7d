import { sql } from 'drizzle-orm';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, queryRows } from '../platform/db/database.ts';

export type DuplicateSuggestion = {
  customerIds: [string, string];
  names: [string, string];
  reason: string;
  score: number;
};

/**
 * Pairs of live customers that are probably one person: the same email once "+tags" are dropped, the same
 * phone number's last nine digits, or a similar name (pg_trgm) at the same company. Strongest first; a
 * pair an agent dismissed as two people is left out.
 */
export async function suggestDuplicates(db: Db, actor: Actor, limit = 50): Promise<DuplicateSuggestion[]> {
  const ws = actor.workspaceId;
  const rows = await queryRows<{
    a: string;
    b: string;
    a_name: string;
    b_name: string;
    reason: string;
    score: number;
  }>(
    db,
    sql`WITH live AS (SELECT id, name, company_id FROM customers WHERE workspace_id = ${ws} AND merged_into_id IS NULL),
    keyed AS (
      SELECT ci.customer_id, 'same email' AS reason,
        regexp_replace(split_part(ci.value, '@', 1), '\\+.*$', '') || '@' || split_part(ci.value, '@', 2) AS key
      FROM customer_identities ci JOIN live ON live.id = ci.customer_id
      WHERE ci.workspace_id = ${ws} AND ci.kind = 'email'
      UNION ALL
      SELECT ci.customer_id, 'same phone', right(ci.value, 9)
      FROM customer_identities ci JOIN live ON live.id = ci.customer_id
      WHERE ci.workspace_id = ${ws} AND ci.kind = 'phone' AND length(ci.value) >= 9
    ),
    pairs AS (
      SELECT x.customer_id AS a, y.customer_id AS b, x.reason, 1.0::float8 AS score
      FROM keyed x JOIN keyed y ON x.key = y.key AND x.reason = y.reason AND x.customer_id < y.customer_id
      UNION ALL
      SELECT a.id, b.id, 'similar name at the same company', similarity(a.name, b.name)::float8
      FROM live a JOIN live b ON a.company_id = b.company_id AND a.id < b.id
      WHERE a.name <> '' AND similarity(a.name, b.name) >= 0.5
    )
    SELECT DISTINCT ON (p.a, p.b) p.a, p.b, la.name AS a_name, lb.name AS b_name, p.reason, p.score
    FROM pairs p JOIN live la ON la.id = p.a JOIN live lb ON lb.id = p.b
    WHERE NOT EXISTS (SELECT 1 FROM customer_duplicate_dismissals d WHERE d.customer_a_id = p.a AND d.customer_b_id = p.b)
    ORDER BY p.a, p.b, p.score DESC
    LIMIT ${limit}`,
  );
  return rows
    .map((r) => ({
      customerIds: [r.a, r.b] as [string, string],
      names: [r.a_name, r.b_name] as [string, string],
      reason: r.reason,
      score: Math.round(Number(r.score) * 100) / 100,
    }))
    .sort((x, y) => y.score - x.score);
}
