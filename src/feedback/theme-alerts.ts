import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { feedbackThemes, memberships, users } from '../db/schema/index.ts';
import { queueOutbound, senderFor } from '../email/outbound-queue.ts';
import { type Config, publicUrl } from '../platform/config.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';

export const THEME_ALERT = 'feedback.theme_alert';
/** A rise worth telling: at least this many items in the last 7 days … */
export const ALERT_MIN_ITEMS = 5;
/** … and at least this many times the weekly mean of the four weeks before. */
export const ALERT_FACTOR = 2;
const DAY = 86_400_000;

export type ThemeRise = { themeId: string; label: string; lastWeek: number; weeklyMean: number };

/** Themes whose last 7 days hold ≥ 5 items and ≥ 2× the weekly mean of the 28 days before. */
export async function risingThemes(db: Db, workspaceId: string, now: Date): Promise<ThemeRise[]> {
  const weekAgo = new Date(now.getTime() - 7 * DAY).toISOString();
  const start = new Date(now.getTime() - 35 * DAY).toISOString();
  const rows = await queryRows<{ theme_id: string; label: string; last_week: number; before: number }>(
    db,
    sql`SELECT f.theme_id, t.label,
          count(*) FILTER (WHERE f.occurred_at >= ${weekAgo}::timestamptz)::int AS last_week,
          count(*) FILTER (WHERE f.occurred_at < ${weekAgo}::timestamptz)::int AS before
        FROM feedback_items f JOIN feedback_themes t ON t.id = f.theme_id
        WHERE f.workspace_id = ${workspaceId} AND f.occurred_at >= ${start}::timestamptz
          AND f.occurred_at < ${now.toISOString()}::timestamptz
        GROUP BY 1, 2`,
  );
  return rows
    .map((row) => ({
      themeId: row.theme_id,
      label: row.label,
      lastWeek: row.last_week,
      weeklyMean: row.before / 4,
    }))
    .filter(
      (rise) =>
        rise.lastWeek >= ALERT_MIN_ITEMS && rise.lastWeek >= ALERT_FACTOR * Math.max(1, rise.weeklyMean),
    );
}

/**
 * Raises an alert for each rising theme not alerted in the last week: marks the theme, records a
 * `feedback.theme_alert` event (the console shows it live) and queues an email to the workspace's
 * admins, all in one transaction. Resolves to the alerts raised.
 */
export async function raiseThemeAlerts(
  db: Db,
  config: Config,
  workspaceId: string,
  now: Date,
): Promise<ThemeRise[]> {
  const rises = await risingThemes(db, workspaceId, now);
  if (rises.length === 0) return [];
  return db.transaction(async (tx) => {
    const quietSince = new Date(now.getTime() - 7 * DAY);
    const themes = await tx
      .select()
      .from(feedbackThemes)
      .where(
        and(
          eq(feedbackThemes.workspaceId, workspaceId),
          inArray(
            feedbackThemes.id,
            rises.map((r) => r.themeId),
          ),
        ),
      )
      .for('update');
    const due = rises.filter((rise) => {
      const theme = themes.find((t) => t.id === rise.themeId);
      return theme && (!theme.alertedAt || theme.alertedAt < quietSince);
    });
    if (due.length === 0) return [];
    const admins = await tx
      .select({ email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.workspaceId, workspaceId),
          eq(memberships.role, 'admin'),
          isNull(users.disabledAt),
        ),
      );
    const sender = await senderFor(tx, config, workspaceId, null);
    const link = `${publicUrl(config).replace(/\/$/, '')}/reports`;
    for (const rise of due) {
      await tx.update(feedbackThemes).set({ alertedAt: now }).where(eq(feedbackThemes.id, rise.themeId));
      await recordEvent(tx, { workspaceId, type: THEME_ALERT, payload: { alert: rise } });
      if (admins.length === 0) continue;
      const subject = `Feedback theme rising: "${rise.label}" (${rise.lastWeek} this week)`;
      const bodyText = [
        `The feedback theme "${rise.label}" had ${rise.lastWeek} items in the last 7 days,`,
        `against ${rise.weeklyMean.toFixed(1)} a week over the four weeks before.`,
        '',
        `Themes and quotes: ${link}`,
      ].join('\n');
      await queueOutbound(tx, {
        workspaceId,
        kind: 'notification',
        dedupeKey: `theme-alert:${rise.themeId}:${now.toISOString().slice(0, 10)}`,
        ticketId: null,
        messageId: null,
        fromAddress: sender.address,
        fromName: sender.brand,
        to: admins.map((admin) => admin.email),
        subject,
        bodyText,
        threads: false,
      });
    }
    return due;
  });
}
