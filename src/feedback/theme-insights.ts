import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { feedbackItems, type feedbackThemes } from '../db/schema/index.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { closestTheme } from './theme-engine.ts';

type ThemeRow = typeof feedbackThemes.$inferSelect;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Before/after an improvement action: this many weeks on each side. */
export const ACTION_WEEKS = 4;

export type WeekCount = { weekStart: string; count: number };
export type ThemeInsight = {
  size: number;
  trend: WeekCount[];
  quotes: { id: string; body: string; source: string; occurredAt: string }[];
  action: {
    label: string;
    at: string;
    beforePerWeek: number;
    afterPerWeek: number | null;
    weeksAfter: number;
  } | null;
};

/** Monday 00:00 UTC of the week `at` falls in. */
export function weekStart(at: Date): Date {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY);
}

/** Items per theme per ISO week over the last `weeks` weeks (this one included), zeros filled in. */
export async function weeklyCounts(db: Db, workspaceId: string, now: Date, weeks: number) {
  const first = new Date(weekStart(now).getTime() - (weeks - 1) * WEEK);
  const rows = await queryRows<{ theme_id: string; week: number; count: number }>(
    db,
    sql`SELECT theme_id, floor(extract(epoch FROM occurred_at - ${first.toISOString()}::timestamptz) / 604800)::int AS week,
          count(*)::int AS count
        FROM feedback_items
        WHERE workspace_id = ${workspaceId} AND theme_id IS NOT NULL
          AND occurred_at >= ${first.toISOString()}::timestamptz AND occurred_at < ${now.toISOString()}::timestamptz
        GROUP BY 1, 2`,
  );
  const byTheme = new Map<string, WeekCount[]>();
  const empty = () =>
    Array.from({ length: weeks }, (_, i) => ({
      weekStart: new Date(first.getTime() + i * WEEK).toISOString().slice(0, 10),
      count: 0,
    }));
  for (const row of rows) {
    const trend = byTheme.get(row.theme_id) ?? empty();
    if (trend[row.week]) trend[row.week]!.count = row.count;
    byTheme.set(row.theme_id, trend);
  }
  return { of: (themeId: string) => byTheme.get(themeId) ?? empty() };
}

async function countBetween(db: Db, theme: ThemeRow, from: Date, to: Date) {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(feedbackItems)
    .where(
      and(
        eq(feedbackItems.workspaceId, theme.workspaceId),
        eq(feedbackItems.themeId, theme.id),
        gte(feedbackItems.occurredAt, from),
        lt(feedbackItems.occurredAt, to),
      ),
    );
  return row?.count ?? 0;
}

/**
 * Weekly volume in the four weeks before the action against the weeks since (up to four); null after
 * while less than a day has passed.
 */
async function actionEffect(db: Db, theme: ThemeRow, now: Date) {
  if (!theme.actionLabel || !theme.actionAt) return null;
  const at = theme.actionAt;
  const before = await countBetween(db, theme, new Date(at.getTime() - ACTION_WEEKS * WEEK), at);
  const end = new Date(Math.min(now.getTime(), at.getTime() + ACTION_WEEKS * WEEK));
  const weeksAfter = Math.max(0, (end.getTime() - at.getTime()) / WEEK);
  const after = weeksAfter * WEEK >= DAY ? (await countBetween(db, theme, at, end)) / weeksAfter : null;
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    label: theme.actionLabel,
    at: at.toISOString(),
    beforePerWeek: round(before / ACTION_WEEKS),
    afterPerWeek: after === null ? null : round(after),
    weeksAfter: round(weeksAfter),
  };
}

/** The three items of the recent ones that sit closest to the theme's centroid. */
async function quotesOf(db: Db, theme: ThemeRow) {
  const recent = await db
    .select()
    .from(feedbackItems)
    .where(and(eq(feedbackItems.workspaceId, theme.workspaceId), eq(feedbackItems.themeId, theme.id)))
    .orderBy(desc(feedbackItems.occurredAt))
    .limit(200);
  return recent
    .map((item) => ({ item, similarity: closestTheme(item.body, [theme], 0)?.similarity ?? 0 }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, 3)
    .map(({ item }) => ({
      id: item.id,
      body: item.body.slice(0, 500),
      source: item.source,
      occurredAt: item.occurredAt.toISOString(),
    }));
}

/** Size, weekly trend, representative quotes and the action's before/after of each theme. */
export async function themeInsights(db: Db, themes: ThemeRow[], now: Date, weeks: number) {
  if (themes.length === 0) return new Map<string, ThemeInsight>();
  const workspaceId = themes[0]!.workspaceId;
  const counts = await weeklyCounts(db, workspaceId, now, weeks);
  const sizes = await queryRows<{ theme_id: string; count: number }>(
    db,
    sql`SELECT theme_id, count(*)::int AS count FROM feedback_items
        WHERE workspace_id = ${workspaceId} AND theme_id IS NOT NULL GROUP BY 1`,
  );
  const sizeOf = new Map(sizes.map((row) => [row.theme_id, row.count]));
  const out = new Map<string, ThemeInsight>();
  for (const theme of themes)
    out.set(theme.id, {
      size: sizeOf.get(theme.id) ?? 0,
      trend: counts.of(theme.id),
      quotes: await quotesOf(db, theme),
      action: await actionEffect(db, theme, now),
    });
  return out;
}
