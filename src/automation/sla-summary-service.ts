import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { tickets } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, queryRows } from '../platform/db/database.ts';

/** The SLA list filters: clocks already overdue, and clocks due within the next hour. */
export const slaFilterStates = ['breached', 'breaching'] as const;
export type SlaFilterState = (typeof slaFilterStates)[number];
const BREACHING_SOON_MINUTES = 60;

const iso = (date: Date) => date.toISOString();

/**
 * The WHERE term for tickets with an open clock in `state` at `now`. A clock past its due time counts
 * as breached before the breach job has flagged it, so the list never waits on a queue. It is a
 * semi-join on the open clocks' (workspace, due) index, so a count needs no join either.
 */
export function slaStateFilter(workspaceId: string, state: SlaFilterState, now: Date): SQL {
  const due =
    state === 'breached'
      ? sql`(s.breached_at IS NOT NULL OR s.due_at <= ${iso(now)}::timestamptz)`
      : sql`(s.breached_at IS NULL AND s.due_at > ${iso(now)}::timestamptz
          AND s.due_at <= ${iso(new Date(now.getTime() + BREACHING_SOON_MINUTES * 60_000))}::timestamptz)`;
  return sql`${tickets.id} IN (SELECT s.ticket_id FROM ticket_slas s
    WHERE s.workspace_id = ${workspaceId} AND s.completed_at IS NULL AND ${due})`;
}

export const slaSummarySchema = z
  .object({
    metric: z.enum(['first_reply', 'next_reply', 'resolution']),
    state: z.enum(['running', 'breached']),
    dueAt: z.string(),
    warnAt: z.string().describe('From here the policy calls the clock close to breaching'),
    breachedAt: z.string().nullable(),
  })
  .describe('The open SLA clock nearest to (or furthest past) its due time; null without one');
export type SlaSummary = z.output<typeof slaSummarySchema>;

type SummaryRow = {
  ticket_id: string;
  metric: SlaSummary['metric'];
  due_at: Date | string;
  breached_at: Date | string | null;
  warn_minutes: number | null;
};

const toIso = (value: Date | string) => new Date(value).toISOString();

/**
 * Each listed ticket's most urgent running clock (breached ones first, then the soonest due), in one
 * query for the whole page. Paused clocks have no due time and are left out.
 */
export async function nearestSlaClocks(
  db: Db,
  actor: Actor,
  ticketIds: string[],
  now: Date,
): Promise<Map<string, SlaSummary>> {
  if (ticketIds.length === 0) return new Map();
  const ids = sql.join(
    ticketIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = await queryRows<SummaryRow>(
    db,
    sql`
    SELECT DISTINCT ON (s.ticket_id) s.ticket_id, s.metric, s.due_at, s.breached_at, p.warn_minutes
    FROM ticket_slas s LEFT JOIN sla_policies p ON p.id = s.policy_id
    WHERE s.workspace_id = ${actor.workspaceId} AND s.ticket_id IN (${ids})
      AND s.completed_at IS NULL AND s.due_at IS NOT NULL
    ORDER BY s.ticket_id, (s.breached_at IS NOT NULL OR s.due_at <= ${iso(now)}::timestamptz) DESC, s.due_at`,
  );
  const summaries = new Map<string, SlaSummary>();
  for (const row of rows) {
    const dueAt = new Date(row.due_at);
    const breached = row.breached_at !== null || dueAt <= now;
    // Clocks whose policy was deleted warn at the column's default, 30 minutes.
    const warnAt = new Date(dueAt.getTime() - (row.warn_minutes ?? 30) * 60_000);
    summaries.set(row.ticket_id, {
      metric: row.metric,
      state: breached ? 'breached' : 'running',
      dueAt: iso(dueAt),
      warnAt: iso(warnAt),
      breachedAt: row.breached_at ? toIso(row.breached_at) : breached ? iso(dueAt) : null,
    });
  }
  return summaries;
}
