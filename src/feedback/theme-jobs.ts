import { sql } from 'drizzle-orm';
import { queryRows } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { FEEDBACK_CREATED } from './feedback-items.ts';
import { raiseThemeAlerts, type ThemeRise } from './theme-alerts.ts';
import {
  assignItem,
  COMPLAINT_TAG,
  collectComplaints,
  rebuildThemes,
  themesOf,
  unthemedItems,
} from './theme-service.ts';

declare module '../platform/queue/queue.ts' {
  interface JobTypes {
    /** Themes upkeep of one workspace, or of every workspace with feedback without one. */
    'feedback.themes': { workspaceId?: string };
  }
}

/** Hourly: complaints collected, stragglers placed, alerts raised soon after a theme starts rising. */
export const THEMES_CRON = '17 * * * *';
/** Enough unplaced items to be worth learning themes again. */
const REBUILD_AFTER = 10;
const REBUILD_EVERY_MS = 7 * 86_400_000;
/** A feedback item nothing fits waits this long for others before themes are learnt again. */
const DEBOUNCE_MS = 10 * 60_000;

/** Files each new feedback item under its closest theme as it arrives; one nothing fits wakes the upkeep job. */
export function themeAssigner(queue: Queue): OutboxHandler {
  return {
    name: 'feedback-themes',
    handles: (type) => type === FEEDBACK_CREATED,
    async handle(tx, event) {
      const itemId = (event.payload.item as { id?: unknown } | undefined)?.id;
      if (typeof itemId !== 'string') return;
      if (await assignItem(tx, event.workspaceId, itemId)) return;
      await queue.send(
        'feedback.themes',
        { workspaceId: event.workspaceId },
        {
          tx,
          startAfter: new Date(event.createdAt.getTime() + DEBOUNCE_MS),
          singletonKey: `themes:${event.workspaceId}`,
        },
      );
    },
  };
}

export type ThemesUpkeep = { complaints: number; placed: number; rebuilt: boolean; alerts: ThemeRise[] };

/** One workspace's upkeep: idempotent, since jobs run at least once. */
export async function runThemesUpkeep(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  workspaceId: string,
): Promise<ThemesUpkeep> {
  const now = deps.clock.now();
  const complaints = await collectComplaints(deps.db, workspaceId, now);
  let placed = 0;
  let loose = 0;
  for (const item of await unthemedItems(deps.db, workspaceId, now)) {
    if (await assignItem(deps.db, workspaceId, item.id)) placed++;
    else loose++;
  }
  const themes = await themesOf(deps.db, workspaceId);
  const newest = Math.max(0, ...themes.map((theme) => theme.updatedAt.getTime()));
  const stale = themes.length > 0 && now.getTime() - newest > REBUILD_EVERY_MS;
  const rebuilt = loose >= REBUILD_AFTER || (stale && loose > 0);
  if (rebuilt) await rebuildThemes(deps.db, workspaceId, now);
  const alerts = await raiseThemeAlerts(deps.db, deps.config, workspaceId, now);
  return { complaints, placed, rebuilt, alerts };
}

async function workspacesWithFeedback(deps: Pick<Deps, 'db'>) {
  const rows = await queryRows<{ workspace_id: string }>(
    deps.db,
    sql`SELECT DISTINCT workspace_id FROM feedback_items
        UNION SELECT DISTINCT workspace_id FROM tickets WHERE tags @> ARRAY[${COMPLAINT_TAG}]::text[]`,
  );
  return rows.map((row) => row.workspace_id);
}

/** Worker-role registration: the upkeep job and its hourly schedule. */
export async function startThemeJobs(deps: Deps): Promise<void> {
  await deps.queue.declare(['feedback.themes']);
  await deps.queue.work('feedback.themes', async (job) => {
    const ids = job.workspaceId ? [job.workspaceId] : await workspacesWithFeedback(deps);
    for (const id of ids) await runThemesUpkeep(deps, id);
  });
  await deps.queue.schedule('feedback.themes', THEMES_CRON, {});
}
