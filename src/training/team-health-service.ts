import { sql } from 'drizzle-orm';
import type { WeeklyHours } from '../automation/business-time.ts';
import { listSchedules } from '../automation/sla-admin-service.ts';
import { analyzeMessage } from '../intel/sentiment-signals.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { queryRows } from '../platform/db/database.ts';
import { forbidden, invalid } from '../platform/errors.ts';
import { type ReplyBucket, teamHealth } from './team-health.ts';

/** Without a business schedule, after hours means outside 08:00–18:00 UTC on weekdays. */
const DEFAULT_HOURS: WeeklyHours[] = [1, 2, 3, 4, 5].map((day) => ({ day, start: '08:00', end: '18:00' }));
const MAX_DAYS = 92;

/**
 * Workload, after-hours replies, difficult (negative) conversations and trends per agent, over
 * [from, to) against the window of the same length before it (admins).
 */
export async function teamHealthReport(db: Db, actor: Actor, window: { from: Date; to: Date }) {
  if (actor.role !== 'admin') throw forbidden('Only admins see team health');
  const span = window.to.getTime() - window.from.getTime();
  if (span <= 0 || span > MAX_DAYS * 86_400_000) throw invalid(`The window must be 1 to ${MAX_DAYS} days`);
  const before = new Date(window.from.getTime() - span);
  const [schedule] = await listSchedules(db, actor);
  const zone = schedule?.timeZone ?? 'UTC';
  const ws = actor.workspaceId;
  const agents = await queryRows<{ id: string; name: string }>(
    db,
    sql`SELECT u.id, u.name FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.workspace_id = ${ws} AND m.role IN ('agent', 'admin') AND u.disabled_at IS NULL ORDER BY u.name, u.id`,
  );
  const open = await queryRows<{ assignee_id: string; n: number }>(
    db,
    sql`SELECT assignee_id, count(*)::int AS n FROM tickets
      WHERE workspace_id = ${ws} AND assignee_id IS NOT NULL AND merged_into_id IS NULL
        AND status IN ('new', 'open', 'pending', 'on_hold')
      GROUP BY assignee_id`,
  );
  const buckets = await queryRows<{
    agent_id: string;
    dow: number;
    time: string;
    week: string;
    current: boolean;
    n: number;
  }>(
    db,
    sql`SELECT author_user_id AS agent_id,
        extract(dow FROM created_at AT TIME ZONE ${zone})::int AS dow,
        to_char(created_at AT TIME ZONE ${zone}, 'HH24:MI') AS time,
        to_char(date_trunc('week', created_at AT TIME ZONE ${zone}), 'YYYY-MM-DD') AS week,
        created_at >= ${window.from.toISOString()}::timestamptz AS current,
        count(*)::int AS n
      FROM messages
      WHERE workspace_id = ${ws} AND kind = 'public_reply' AND author_user_id IS NOT NULL
        AND created_at >= ${before.toISOString()}::timestamptz AND created_at < ${window.to.toISOString()}::timestamptz
      GROUP BY 1, 2, 3, 4, 5`,
  );
  const range = sql`created_at >= ${window.from.toISOString()}::timestamptz AND created_at < ${window.to.toISOString()}::timestamptz`;
  const handledRows = await queryRows<{ agent_id: string; ticket_id: string }>(
    db,
    sql`SELECT DISTINCT author_user_id AS agent_id, ticket_id FROM messages
      WHERE workspace_id = ${ws} AND kind = 'public_reply' AND author_user_id IS NOT NULL AND ${range}`,
  );
  const customer = await queryRows<{ ticket_id: string; body: string }>(
    db,
    sql`SELECT ticket_id, left(body_text, 2000) AS body FROM messages
      WHERE workspace_id = ${ws} AND kind = 'customer_message' AND ${range}
        AND ticket_id IN (SELECT ticket_id FROM messages WHERE workspace_id = ${ws} AND kind = 'public_reply' AND ${range})`,
  );
  const difficult = new Set(
    customer.filter((m) => analyzeMessage(m.body).label === 'negative').map((m) => m.ticket_id),
  );
  const handled = new Map<string, { tickets: number; difficult: number }>();
  for (const row of handledRows) {
    const entry = handled.get(row.agent_id) ?? { tickets: 0, difficult: 0 };
    entry.tickets++;
    if (difficult.has(row.ticket_id)) entry.difficult++;
    handled.set(row.agent_id, entry);
  }
  const report = teamHealth({
    agents,
    openTickets: new Map(open.map((r) => [r.assignee_id, r.n])),
    buckets: buckets.map(
      (b): ReplyBucket => ({
        agentId: b.agent_id,
        dow: b.dow,
        time: b.time,
        week: b.week,
        current: b.current,
        replies: b.n,
      }),
    ),
    handled,
    hours: schedule?.hours ?? DEFAULT_HOURS,
    days: span / 86_400_000,
  });
  return { from: window.from.toISOString(), to: window.to.toISOString(), timeZone: zone, ...report };
}
