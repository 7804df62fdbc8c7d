import { sql } from 'drizzle-orm';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { forbidden } from '../platform/errors.ts';

export type CampaignStats = {
  campaignId: string;
  kind: 'nps' | 'ces';
  sent: number;
  suppressed: number;
  answered: number;
  /** answered / sent, 0–1; null before anything was sent. */
  responseRate: number | null;
  nps: { promoters: number; passives: number; detractors: number; score: number | null } | null;
  ces: { mean: number | null } | null;
};

type Row = {
  id: string;
  kind: 'nps' | 'ces';
  suppressed: number;
  sent: number;
  answered: number;
  promoters: number;
  detractors: number;
  total: number;
};

/**
 * Each campaign's reach and answers over all its runs: surveys sent, segment members skipped for
 * suppression, answers and response rate, and the NPS split and score (promoters 9–10 minus detractors
 * 0–6, as a share of answers × 100) or the CES mean (1–7). Admins only.
 */
export async function campaignStats(db: Db, actor: Actor): Promise<CampaignStats[]> {
  if (actor.role !== 'admin') throw forbidden('Only admins see campaign statistics');
  const rows = await queryRows<Row>(
    db,
    sql`SELECT c.id, c.kind, c.suppressed,
          count(i.id) FILTER (WHERE i.sent_at IS NOT NULL)::int AS sent,
          count(r.id)::int AS answered,
          count(r.id) FILTER (WHERE r.score >= 9)::int AS promoters,
          count(r.id) FILTER (WHERE r.score <= 6)::int AS detractors,
          coalesce(sum(r.score), 0)::int AS total
        FROM survey_campaigns c
        LEFT JOIN survey_invitations i ON i.campaign_id = c.id
        LEFT JOIN survey_responses r ON r.invitation_id = i.id
        WHERE c.workspace_id = ${actor.workspaceId}
        GROUP BY c.id
        ORDER BY c.created_at DESC, c.id`,
  );
  return rows.map((row) => {
    const share = (part: number) => (row.answered ? part / row.answered : null);
    return {
      campaignId: row.id,
      kind: row.kind,
      sent: row.sent,
      suppressed: row.suppressed,
      answered: row.answered,
      responseRate: row.sent ? row.answered / row.sent : null,
      nps:
        row.kind === 'nps'
          ? {
              promoters: row.promoters,
              passives: row.answered - row.promoters - row.detractors,
              detractors: row.detractors,
              score: row.answered ? (100 * (row.promoters - row.detractors)) / row.answered : null,
            }
          : null,
      ces: row.kind === 'ces' ? { mean: share(row.total) } : null,
    };
  });
}
