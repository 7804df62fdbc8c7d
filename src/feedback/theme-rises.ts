import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../platform/db/database.ts';

export type ThemeWeekOverWeek = { themeId: string; label: string; thisWeek: number; weekBefore: number };

/**
 * The themes that grew most from [weekBefore, weekStart) to [weekStart, weekEnd), largest rise
 * first, ties by label; only themes that grew.
 */
export async function risingThemesBetween(
  db: Db,
  workspaceId: string,
  period: { weekBefore: Date; weekStart: Date; weekEnd: Date },
  limit = 3,
): Promise<ThemeWeekOverWeek[]> {
  const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
  const rows = await queryRows<{ theme_id: string; label: string; this_week: number; week_before: number }>(
    db,
    sql`SELECT f.theme_id, t.label,
          count(*) FILTER (WHERE f.occurred_at >= ${at(period.weekStart)})::int AS this_week,
          count(*) FILTER (WHERE f.occurred_at < ${at(period.weekStart)})::int AS week_before
        FROM feedback_items f JOIN feedback_themes t ON t.id = f.theme_id
        WHERE f.workspace_id = ${workspaceId} AND f.occurred_at >= ${at(period.weekBefore)}
          AND f.occurred_at < ${at(period.weekEnd)}
        GROUP BY 1, 2`,
  );
  return rows
    .filter((row) => row.this_week > row.week_before)
    .sort(
      (a, b) => b.this_week - b.week_before - (a.this_week - a.week_before) || a.label.localeCompare(b.label),
    )
    .slice(0, limit)
    .map((row) => ({
      themeId: row.theme_id,
      label: row.label,
      thisWeek: row.this_week,
      weekBefore: row.week_before,
    }));
}
