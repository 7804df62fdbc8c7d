import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../platform/db/database.ts';

/** The slice of tickets a report looks at; every query is scoped to the workspace. */
export type ReportScope = {
  workspaceId: string;
  from: Date;
  to: Date;
  timeZone: string;
  channel?: string | undefined;
  teamId?: string | undefined;
  agentId?: string | undefined;
  tag?: string | undefined;
};

export const groupings = [
  'total',
  'day',
  'week',
  'channel',
  'team',
  'agent',
  'tag',
  'priority',
  'intent',
] as const;
export type Grouping = (typeof groupings)[number];

const UNSOLVED = sql`('new', 'open', 'pending', 'on_hold')`;

/** Tickets of the scope: spam (the `spam` tag) never counts; the filters narrow it. */
function ticketFilter(scope: ReportScope): SQL {
  const parts = [sql`t.workspace_id = ${scope.workspaceId}`, sql`NOT ('spam' = ANY(t.tags))`];
  if (scope.channel) parts.push(sql`t.channel::text = ${scope.channel}`);
  if (scope.teamId) parts.push(sql`t.team_id = ${scope.teamId}`);
  if (scope.agentId) parts.push(sql`t.assignee_id = ${scope.agentId}`);
  if (scope.tag) parts.push(sql`${scope.tag} = ANY(t.tags)`);
  return sql.join(parts, sql` AND `);
}

const iso = (date: Date) => sql`${date.toISOString()}::timestamptz`;
const within = (column: SQL, scope: ReportScope) =>
  sql`${column} >= ${iso(scope.from)} AND ${column} < ${iso(scope.to)}`;

/** The group key of a ticket row `t`; `at` is the instant that places it in a day or week. */
function groupKey(grouping: Grouping, at: SQL, scope: ReportScope): { key: SQL; join: SQL } {
  const none = sql``;
  switch (grouping) {
    case 'total':
      return { key: sql`'total'`, join: none };
    case 'day':
      return { key: sql`to_char(${at} AT TIME ZONE ${scope.timeZone}, 'YYYY-MM-DD')`, join: none };
    case 'week':
      return {
        key: sql`to_char(date_trunc('week', ${at} AT TIME ZONE ${scope.timeZone}), 'YYYY-MM-DD')`,
        join: none,
      };
    case 'channel':
      return { key: sql`t.channel::text`, join: none };
    case 'team':
      return { key: sql`coalesce(t.team_id::text, '')`, join: none };
    case 'agent':
      return { key: sql`coalesce(t.assignee_id::text, '')`, join: none };
    case 'priority':
      return { key: sql`t.priority::text`, join: none };
    case 'intent':
      // As triage knows it: the agents' latest verdict, else what triage applied or proposed; '' if never seen.
      return {
        key: sql`i.intent`,
        join: sql`CROSS JOIN LATERAL (SELECT coalesce(
          (SELECT f.category FROM intel_triage_feedback f WHERE f.ticket_id = t.id ORDER BY f.created_at DESC LIMIT 1),
          (SELECT s.category FROM intel_triage_suggestions s WHERE s.ticket_id = t.id), '') AS intent) i`,
      };
    case 'tag':
      // A ticket counts once under each of its tags; untagged ones under ''.
      return {
        key: sql`g.tag`,
        join: sql`CROSS JOIN LATERAL unnest(CASE WHEN cardinality(t.tags) = 0 THEN ARRAY['']::text[] ELSE t.tags END) AS g(tag)`,
      };
  }
}

export type VolumeRow = { key: string; created: number; solved: number; reopened: number };

/**
 * Created tickets by creation time; solved and reopened tickets by the time of their status change
 * (each ticket once per group). A merged ticket counts as created, never as solved.
 */
export async function volumeRows(db: Db, scope: ReportScope, grouping: Grouping): Promise<VolumeRow[]> {
  const created = groupKey(grouping, sql`t.created_at`, scope);
  const moved = groupKey(grouping, sql`m.at`, scope);
  return queryRows<VolumeRow>(
    db,
    sql`WITH created AS (
      SELECT ${created.key} AS key, count(*)::int AS n FROM tickets t ${created.join}
      WHERE ${ticketFilter(scope)} AND ${within(sql`t.created_at`, scope)}
      GROUP BY 1
    ), moves AS (
      SELECT e.ticket_id, e.created_at AS at, e.changes->'status'->>0 AS before, e.changes->'status'->>1 AS after
      FROM ticket_events e
      WHERE e.workspace_id = ${scope.workspaceId} AND ${within(sql`e.created_at`, scope)}
        AND jsonb_typeof(e.changes->'status') = 'array'
    ), changed AS (
      SELECT ${moved.key} AS key,
        count(DISTINCT t.id) FILTER (WHERE m.after = 'solved')::int AS solved,
        count(DISTINCT t.id) FILTER (WHERE m.before = 'solved' AND m.after IN ${UNSOLVED})::int AS reopened
      FROM moves m JOIN tickets t ON t.id = m.ticket_id ${moved.join}
      WHERE ${ticketFilter(scope)} AND t.merged_into_id IS NULL
      GROUP BY 1
    )
    SELECT coalesce(c.key, s.key) AS key, coalesce(c.n, 0) AS created,
      coalesce(s.solved, 0) AS solved, coalesce(s.reopened, 0) AS reopened
    FROM created c FULL JOIN changed s ON s.key = c.key
    ORDER BY 1`,
  );
}

export type FirstReplyRow = { key: string; firstCustomerAt: Date; firstReplyAt: Date };

// A public reply counts as a person's when a user wrote it and no automation or bot marked it.
const agentReply = sql`m.kind = 'public_reply' AND m.author_user_id IS NOT NULL
  AND NOT (m.channel_meta ? 'automated') AND NOT (m.channel_meta ? 'bot')`;

/**
 * Tickets created in the period that got a first reply: from the first customer message to the first
 * agent reply after it. A ticket whose first public message was ours (outbound) has none.
 */
export async function firstReplyRows(
  db: Db,
  scope: ReportScope,
  grouping: Grouping,
): Promise<FirstReplyRow[]> {
  const group = groupKey(grouping, sql`t.created_at`, scope);
  const rows = await queryRows<{ key: string; first_customer_at: string; first_reply_at: string }>(
    db,
    sql`SELECT ${group.key} AS key, f.first_customer_at, r.first_reply_at
    FROM tickets t ${group.join}
    CROSS JOIN LATERAL (
      SELECT min(m.created_at) FILTER (WHERE m.kind = 'customer_message') AS first_customer_at,
        min(m.created_at) FILTER (WHERE m.kind <> 'internal_note') AS first_public_at
      FROM messages m WHERE m.ticket_id = t.id
    ) f
    CROSS JOIN LATERAL (
      SELECT min(m.created_at) AS first_reply_at FROM messages m
      WHERE m.ticket_id = t.id AND ${agentReply} AND m.created_at >= f.first_customer_at
    ) r
    WHERE ${ticketFilter(scope)} AND ${within(sql`t.created_at`, scope)} AND t.merged_into_id IS NULL
      AND f.first_customer_at = f.first_public_at AND r.first_reply_at IS NOT NULL`,
  );
  return rows.map((row) => ({
    key: row.key,
    firstCustomerAt: new Date(row.first_customer_at),
    firstReplyAt: new Date(row.first_reply_at),
  }));
}

export type ResolutionRow = {
  key: string;
  createdAt: Date;
  firstSolvedAt: Date;
  lastSolvedAt: Date;
  agentReplies: number;
};

/**
 * Tickets whose last solve fell in the period and that are still solved or closed (not merged): their
 * first and last solve times and how many public agent replies they took.
 */
export async function resolutionRows(
  db: Db,
  scope: ReportScope,
  grouping: Grouping,
): Promise<ResolutionRow[]> {
  const group = groupKey(grouping, sql`t.solved_at`, scope);
  const rows = await queryRows<{
    key: string;
    created_at: string;
    first_solved_at: string | null;
    solved_at: string;
    agent_replies: number;
  }>(
    db,
    sql`SELECT ${group.key} AS key, t.created_at, t.solved_at, s.first_solved_at, r.agent_replies
    FROM tickets t ${group.join}
    CROSS JOIN LATERAL (
      SELECT min(e.created_at) AS first_solved_at FROM ticket_events e
      WHERE e.ticket_id = t.id AND e.changes->'status'->>1 = 'solved'
    ) s
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS agent_replies FROM messages m WHERE m.ticket_id = t.id AND ${agentReply}
    ) r
    WHERE ${ticketFilter(scope)} AND ${within(sql`t.solved_at`, scope)}
      AND t.status IN ('solved', 'closed') AND t.merged_into_id IS NULL`,
  );
  return rows.map((row) => ({
    key: row.key,
    createdAt: new Date(row.created_at),
    firstSolvedAt: new Date(row.first_solved_at ?? row.solved_at),
    lastSolvedAt: new Date(row.solved_at),
    agentReplies: Number(row.agent_replies),
  }));
}

export type BacklogRow = {
  status: string;
  count: number;
  medianAgeHours: number | null;
  p90AgeHours: number | null;
  under1d: number;
  d1to3: number;
  d3to7: number;
  d7to30: number;
  over30d: number;
};

/** Unsolved tickets now, per status and in all (status 'all'), with their age (now − created). */
export async function backlogRows(db: Db, scope: ReportScope, now: Date): Promise<BacklogRow[]> {
  const age = sql`(extract(epoch FROM ${iso(now)} - t.created_at) / 3600)`;
  const rows = await queryRows<Record<string, string | number | null>>(
    db,
    sql`SELECT coalesce(t.status::text, 'all') AS status, count(*)::int AS count,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY ${age}) AS median,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY ${age}) AS p90,
      count(*) FILTER (WHERE ${age} < 24)::int AS under1d,
      count(*) FILTER (WHERE ${age} >= 24 AND ${age} < 72)::int AS d1to3,
      count(*) FILTER (WHERE ${age} >= 72 AND ${age} < 168)::int AS d3to7,
      count(*) FILTER (WHERE ${age} >= 168 AND ${age} < 720)::int AS d7to30,
      count(*) FILTER (WHERE ${age} >= 720)::int AS over30d
    FROM tickets t
    WHERE ${ticketFilter(scope)} AND t.status IN ${UNSOLVED} AND t.merged_into_id IS NULL
    GROUP BY ROLLUP (t.status) ORDER BY 1`,
  );
  return rows.map((row) => ({
    status: String(row.status),
    count: Number(row.count),
    medianAgeHours: row.median === null ? null : Number(row.median),
    p90AgeHours: row.p90 === null ? null : Number(row.p90),
    under1d: Number(row.under1d),
    d1to3: Number(row.d1to3),
    d3to7: Number(row.d3to7),
    d7to30: Number(row.d7to30),
    over30d: Number(row.over30d),
  }));
}

export type SlaRow = { metric: string; achieved: number; breached: number };

/** SLA targets met (completed, never breached) or breached in the period, per metric. */
export async function slaRows(db: Db, scope: ReportScope): Promise<SlaRow[]> {
  return queryRows<SlaRow>(
    db,
    sql`SELECT s.metric::text AS metric,
      count(*) FILTER (WHERE s.breached_at IS NULL AND ${within(sql`s.completed_at`, scope)})::int AS achieved,
      count(*) FILTER (WHERE ${within(sql`s.breached_at`, scope)})::int AS breached
    FROM ticket_slas s JOIN tickets t ON t.id = s.ticket_id
    WHERE s.workspace_id = ${scope.workspaceId} AND ${ticketFilter(scope)}
      AND (${within(sql`s.completed_at`, scope)} OR ${within(sql`s.breached_at`, scope)})
    GROUP BY 1 ORDER BY 1`,
  );
}

export type SurveyRow = { key: string; kind: string; score: number; answers: number };

/**
 * Survey answers in the period by score; for CSAT only the latest answer of each ticket counts.
 * Answers without a ticket count only while no ticket filter is set.
 */
export async function surveyRows(db: Db, scope: ReportScope, grouping: Grouping): Promise<SurveyRow[]> {
  const group =
    grouping === 'agent'
      ? { key: sql`coalesce(r.agent_id::text, t.assignee_id::text, '')`, join: sql`` }
      : groupKey(grouping, sql`r.answered_at`, scope);
  const ticketFiltered = Boolean(scope.channel || scope.teamId || scope.agentId || scope.tag);
  const ticketCondition = ticketFiltered
    ? ticketFilter(scope)
    : sql`(t.id IS NULL OR NOT ('spam' = ANY(t.tags)))`;
  return queryRows<SurveyRow>(
    db,
    sql`WITH answers AS (
      SELECT DISTINCT ON (CASE WHEN r.kind = 'csat' AND r.ticket_id IS NOT NULL THEN r.ticket_id ELSE r.id END)
        r.*
      FROM survey_responses r
      WHERE r.workspace_id = ${scope.workspaceId} AND ${within(sql`r.answered_at`, scope)}
      ORDER BY CASE WHEN r.kind = 'csat' AND r.ticket_id IS NOT NULL THEN r.ticket_id ELSE r.id END,
        r.answered_at DESC
    )
    SELECT coalesce(${group.key}, '') AS key, r.kind, r.score::int AS score, count(*)::int AS answers
    FROM answers r LEFT JOIN tickets t ON t.id = r.ticket_id ${group.join}
    WHERE ${ticketCondition}
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  );
}

/** Public agent replies written in the period, per author. */
export async function repliesByAgent(db: Db, scope: ReportScope) {
  return queryRows<{ key: string; replies: number }>(
    db,
    sql`SELECT m.author_user_id::text AS key, count(*)::int AS replies
    FROM messages m JOIN tickets t ON t.id = m.ticket_id
    WHERE m.workspace_id = ${scope.workspaceId} AND ${within(sql`m.created_at`, scope)} AND ${agentReply}
      AND ${ticketFilter(scope)}
    GROUP BY 1`,
  );
}

/** Names for group keys that are ids (teams, agents). */
export async function groupLabels(db: Db, workspaceId: string, grouping: Grouping) {
  if (grouping === 'team')
    return queryRows<{ key: string; label: string }>(
      db,
      sql`SELECT id::text AS key, name AS label FROM teams WHERE workspace_id = ${workspaceId}`,
    );
  if (grouping === 'agent')
    return queryRows<{ key: string; label: string }>(
      db,
      sql`SELECT u.id::text AS key, u.name AS label FROM users u
      JOIN memberships ms ON ms.user_id = u.id WHERE ms.workspace_id = ${workspaceId}`,
    );
  return [];
}

/** The workspace's business calendar: the one asked for, else its oldest. */
export async function businessSchedule(db: Db, workspaceId: string, scheduleId?: string) {
  const [row] = await queryRows<{
    time_zone: string;
    hours: { day: number; start: string; end: string }[];
    holidays: string[];
  }>(
    db,
    sql`SELECT time_zone, hours, holidays FROM business_schedules
    WHERE workspace_id = ${workspaceId} ${scheduleId ? sql`AND id = ${scheduleId}` : sql``}
    ORDER BY created_at, id LIMIT 1`,
  );
  return row ? { timeZone: row.time_zone, hours: row.hours, holidays: row.holidays } : null;
}
