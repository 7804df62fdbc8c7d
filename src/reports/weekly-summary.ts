import { and, eq, sql } from 'drizzle-orm';
import { emailNotificationPrefs, memberships, users, workspaces } from '../db/schema/index.ts';
import { queueOutbound, senderFor } from '../email/outbound-queue.ts';
import { risingThemesBetween } from '../feedback/theme-rises.ts';
import { systemActor } from '../platform/auth/actor.ts';
import { publicUrl } from '../platform/config.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import { businessSchedule } from './report-queries.ts';
import { kpiReport } from './report-service.ts';
import { type WeekFigures, weeklySummaryEmail } from './weekly-summary-email.ts';

/** Last week and the one before in a time zone, Monday 00:00 local to Monday 00:00 local. */
export async function weeksBefore(db: Db, timeZone: string, now: Date) {
  const [row] = await queryRows<{
    monday: boolean;
    week_before: string;
    week_start: string;
    week_end: string;
    week_of: string;
  }>(
    db,
    sql`WITH local AS (SELECT ${now.toISOString()}::timestamptz AT TIME ZONE ${timeZone} AS at)
        SELECT extract(isodow FROM at) = 1 AS monday,
          (date_trunc('week', at) - interval '14 days') AT TIME ZONE ${timeZone} AS week_before,
          (date_trunc('week', at) - interval '7 days') AT TIME ZONE ${timeZone} AS week_start,
          date_trunc('week', at) AT TIME ZONE ${timeZone} AS week_end,
          to_char(date_trunc('week', at) - interval '7 days', 'YYYY-MM-DD') AS week_of
        FROM local`,
  );
  const at = (value: string) => new Date(value);
  return {
    monday: row!.monday,
    weekBefore: at(row!.week_before),
    weekStart: at(row!.week_start),
    weekEnd: at(row!.week_end),
    weekOf: row!.week_of,
  };
}

async function figuresOf(db: Db, workspaceId: string, from: Date, to: Date, timeZone: string, now: Date) {
  const report = await kpiReport(
    db,
    {
      actor: systemActor(workspaceId),
      workspaceId,
      from,
      to,
      groupBy: 'total',
      timeBasis: 'calendar',
      compare: false,
      timeZone,
    },
    now,
  );
  const sla = report.sla.reduce(
    (sum, row) => ({ met: sum.met + row.achieved, all: sum.all + row.achieved + row.breached }),
    { met: 0, all: 0 },
  );
  return {
    created: report.totals.created,
    solved: report.totals.solved,
    medianFirstReplyMinutes: report.totals.firstReply.medianMinutes,
    csatPercent: report.totals.csat.percent,
    npsScore: report.totals.nps.score,
    slaCompliance: sla.all ? sla.met / sla.all : null,
  } satisfies WeekFigures;
}

/** Admins of the workspace who did not turn the weekly summary off. */
function summaryReaders(db: Db, workspaceId: string) {
  return db
    .select({ id: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(
      emailNotificationPrefs,
      and(
        eq(emailNotificationPrefs.workspaceId, memberships.workspaceId),
        eq(emailNotificationPrefs.userId, memberships.userId),
      ),
    )
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        eq(memberships.role, 'admin'),
        sql`${users.disabledAt} IS NULL`,
        sql`coalesce(${emailNotificationPrefs.weeklySummary}, true)`,
      ),
    )
    .orderBy(users.email);
}

/**
 * On a Monday in the workspace's time zone (its business calendar's, else UTC), queues to each admin
 * who wants it one email with last week's key figures against the week before. Idempotent: a second
 * run the same week queues nothing. Resolves to the emails queued.
 */
export async function sendWeeklySummary(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  workspaceId: string,
): Promise<number> {
  const { db } = deps;
  const now = deps.clock.now();
  const timeZone = (await businessSchedule(db, workspaceId))?.timeZone ?? 'UTC';
  const week = await weeksBefore(db, timeZone, now);
  if (!week.monday) return 0;
  const readers = await summaryReaders(db, workspaceId);
  if (readers.length === 0) return 0;
  const [workspace] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  const [lastWeek, weekBefore, risingThemes] = await Promise.all([
    figuresOf(db, workspaceId, week.weekStart, week.weekEnd, timeZone, now),
    figuresOf(db, workspaceId, week.weekBefore, week.weekStart, timeZone, now),
    risingThemesBetween(db, workspaceId, week),
  ]);
  const mail = weeklySummaryEmail({
    workspaceName: workspace?.name ?? 'Rapport',
    timeZone,
    weekOf: week.weekOf,
    lastWeek,
    weekBefore,
    risingThemes,
    dashboardUrl: `${publicUrl(deps.config)}/reports`,
  });
  return db.transaction(async (tx) => {
    const sender = await senderFor(tx, deps.config, workspaceId, null);
    let queued = 0;
    for (const reader of readers) {
      const id = await queueOutbound(tx, {
        workspaceId,
        kind: 'notification',
        dedupeKey: `weekly-summary:${week.weekOf}:${reader.id}`,
        ticketId: null,
        messageId: null,
        fromAddress: sender.address,
        fromName: sender.brand,
        to: [reader.email],
        ...mail,
        threads: false,
      });
      if (id) queued++;
    }
    return queued;
  });
}
