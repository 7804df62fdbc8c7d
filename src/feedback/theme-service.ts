import { and, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { feedbackItems, feedbackThemes } from '../db/schema/index.ts';
import { cosine } from '../intel/similar-vectors.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { closestTheme, clusterThemes } from './theme-engine.ts';

/** Tickets carrying this tag are complaints: their opening message becomes a feedback item. */
export const COMPLAINT_TAG = 'complaint';
/** Themes are learnt from this window of feedback, newest items first up to the cap. */
const WINDOW_DAYS = 180;
const MAX_ITEMS = 3000;
/** A new grouping continues an existing theme (keeping its id and action) when this close. */
const SAME_THEME = 0.5;

type ThemeRow = typeof feedbackThemes.$inferSelect;

const since = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);
const centroidMap = (centroid: Record<string, number>) => new Map(Object.entries(centroid));

/**
 * Turns recent complaint tickets (tagged `complaint`) into feedback items: subject and the first
 * customer message, known by the ticket's id so a rerun adds nothing. Resolves to how many it added.
 */
export async function collectComplaints(db: Db, workspaceId: string, now: Date): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`
    WITH added AS (
      INSERT INTO feedback_items (workspace_id, source, body, customer_id, ticket_id, external_id, occurred_at)
      SELECT t.workspace_id, 'complaint', left(t.subject || E'\n' || coalesce(m.body_text, ''), 10000),
             t.customer_id, t.id, t.id::text, t.created_at
      FROM tickets t
      LEFT JOIN LATERAL (
        SELECT body_text FROM messages
        WHERE ticket_id = t.id AND kind = 'customer_message' ORDER BY created_at LIMIT 1
      ) m ON true
      WHERE t.workspace_id = ${workspaceId} AND t.tags @> ARRAY[${COMPLAINT_TAG}]::text[]
        AND t.created_at >= ${since(now, WINDOW_DAYS).toISOString()}::timestamptz
        AND NOT t.tags @> ARRAY['spam']::text[]
      ON CONFLICT DO NOTHING
      RETURNING id
    ) SELECT id FROM added`,
  );
  return rows.length;
}

/**
 * Learns the workspace's themes again from its recent feedback and files every item under one (or
 * none). A grouping close to an existing theme continues it, so ids, improvement actions and alerts
 * survive; themes nobody continues and no action names are removed. CPU work happens before the one
 * write transaction. Resolves to the themes kept.
 */
export async function rebuildThemes(db: Db, workspaceId: string, now: Date): Promise<ThemeRow[]> {
  const items = await db
    .select({ id: feedbackItems.id, text: feedbackItems.body })
    .from(feedbackItems)
    .where(
      and(eq(feedbackItems.workspaceId, workspaceId), gte(feedbackItems.occurredAt, since(now, WINDOW_DAYS))),
    )
    .orderBy(desc(feedbackItems.occurredAt))
    .limit(MAX_ITEMS);
  const clusters = clusterThemes(items);
  return db.transaction(async (tx) => {
    const existing = await tx
      .select()
      .from(feedbackThemes)
      .where(eq(feedbackThemes.workspaceId, workspaceId));
    const taken = new Set<string>();
    const kept: ThemeRow[] = [];
    for (const cluster of clusters) {
      const centroid = centroidMap(cluster.centroid);
      const match = existing
        .filter((theme) => !taken.has(theme.id))
        .map((theme) => ({ theme, similarity: cosine(centroid, centroidMap(theme.centroid)) }))
        .sort((a, b) => b.similarity - a.similarity)[0];
      const same = match && match.similarity >= SAME_THEME ? match.theme : undefined;
      const values = {
        // A name an admin gave outlives the words the clustering picks.
        label: same?.labelSetAt ? same.label : cluster.label,
        terms: cluster.terms,
        centroid: cluster.centroid,
        updatedAt: now,
      };
      const [theme] = same
        ? await tx.update(feedbackThemes).set(values).where(eq(feedbackThemes.id, same.id)).returning()
        : await tx
            .insert(feedbackThemes)
            .values({ workspaceId, ...values, createdAt: now })
            .returning();
      taken.add(theme!.id);
      kept.push(theme!);
      await tx
        .update(feedbackItems)
        .set({ themeId: theme!.id })
        .where(and(eq(feedbackItems.workspaceId, workspaceId), inArray(feedbackItems.id, cluster.members)));
    }
    const clustered = new Set(clusters.flatMap((cluster) => cluster.members));
    const loose = items.map((item) => item.id).filter((id) => !clustered.has(id));
    for (let start = 0; start < loose.length; start += 500)
      await tx
        .update(feedbackItems)
        .set({ themeId: null })
        .where(inArray(feedbackItems.id, loose.slice(start, start + 500)));
    const gone = existing.filter((theme) => !taken.has(theme.id) && !theme.actionLabel).map((t) => t.id);
    if (gone.length) await tx.delete(feedbackThemes).where(inArray(feedbackThemes.id, gone));
    await recordEvent(tx, {
      workspaceId,
      type: 'feedback.themes_rebuilt',
      payload: { themes: kept.map((theme) => ({ id: theme.id, label: theme.label })) },
    });
    return kept;
  });
}

/** Files one item under its closest theme, if one is close enough; resolves to the theme's id or null. */
export async function assignItem(tx: Db, workspaceId: string, itemId: string): Promise<string | null> {
  const [item] = await tx
    .select()
    .from(feedbackItems)
    .where(and(eq(feedbackItems.id, itemId), eq(feedbackItems.workspaceId, workspaceId)));
  if (!item || item.themeId) return item?.themeId ?? null;
  const themes = await tx.select().from(feedbackThemes).where(eq(feedbackThemes.workspaceId, workspaceId));
  const found = closestTheme(item.body, themes);
  if (!found) return null;
  await tx.update(feedbackItems).set({ themeId: found.theme.id }).where(eq(feedbackItems.id, item.id));
  return found.theme.id;
}

/** Items of the window without a theme, for the scan to place (or to trigger a rebuild). */
export async function unthemedItems(db: Db, workspaceId: string, now: Date) {
  return db
    .select({ id: feedbackItems.id })
    .from(feedbackItems)
    .where(
      and(
        eq(feedbackItems.workspaceId, workspaceId),
        isNull(feedbackItems.themeId),
        gte(feedbackItems.occurredAt, since(now, WINDOW_DAYS)),
      ),
    )
    .limit(MAX_ITEMS);
}

export async function themesOf(db: Db, workspaceId: string) {
  return db.select().from(feedbackThemes).where(eq(feedbackThemes.workspaceId, workspaceId));
}

/** One admin change to a theme, with its event; throws not_found for another workspace's theme. */
async function changeTheme(
  db: Db,
  actor: Actor,
  themeId: string,
  values: Partial<typeof feedbackThemes.$inferInsert>,
): Promise<ThemeRow> {
  return db.transaction(async (tx) => {
    const [theme] = await tx
      .update(feedbackThemes)
      .set(values)
      .where(and(eq(feedbackThemes.id, themeId), eq(feedbackThemes.workspaceId, actor.workspaceId)))
      .returning();
    if (!theme) throw notFound('Theme');
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'feedback.theme_updated',
      payload: {
        theme: { id: theme.id, label: theme.label, actionLabel: theme.actionLabel },
        actorId: actor.userId,
      },
    });
    return theme;
  });
}

/**
 * Links a theme to the improvement made for it ("added a size guide") and when, or unlinks it with
 * null; admins only. Throws not_found for another workspace's theme.
 */
export async function setThemeAction(
  db: Db,
  actor: Actor,
  themeId: string,
  action: { label: string; at: Date } | null,
  now: Date,
): Promise<ThemeRow> {
  if (actor.role !== 'admin') throw forbidden('Only admins link improvement actions');
  return changeTheme(db, actor, themeId, {
    actionLabel: action?.label.trim() ?? null,
    actionAt: action?.at ?? null,
    updatedAt: now,
  });
}

/** Names a theme as an admin sees it ("sizing"); learning themes again keeps the name. Throws not_found. */
export async function renameTheme(db: Db, actor: Actor, themeId: string, label: string, now: Date) {
  if (actor.role !== 'admin') throw forbidden('Only admins rename themes');
  return changeTheme(db, actor, themeId, { label: label.trim(), labelSetAt: now, updatedAt: now });
}

/** Marks the theme's rise alert as seen by an admin; a later alert opens again. Throws not_found. */
export async function acknowledgeThemeAlert(db: Db, actor: Actor, themeId: string, now: Date) {
  if (actor.role !== 'admin') throw forbidden('Only admins acknowledge alerts');
  return changeTheme(db, actor, themeId, { alertAcknowledgedAt: now, updatedAt: now });
}
