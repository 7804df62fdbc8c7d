import { workspaces } from '../db/schema/index.ts';
import type { Deps } from '../platform/deps.ts';
import { sendWeeklySummary } from './weekly-summary.ts';

declare module '../platform/queue/queue.ts' {
  interface JobTypes {
    /** The Monday summary of one workspace, or of every workspace where it is Monday. */
    'reports.weekly_summary': { workspaceId?: string };
  }
}

// Hourly, so each workspace gets its summary early on its own Monday; the dedupe key keeps it to one.
export const WEEKLY_SUMMARY_CRON = '7 * * * *';

/** Worker-role registration: the weekly summary job on the durable queue's cron. */
export async function startWeeklySummaryJobs(deps: Deps): Promise<void> {
  await deps.queue.declare(['reports.weekly_summary']);
  await deps.queue.work('reports.weekly_summary', async (job) => {
    const ids = job.workspaceId
      ? [job.workspaceId]
      : (await deps.db.select({ id: workspaces.id }).from(workspaces)).map((row) => row.id);
    for (const id of ids) await sendWeeklySummary(deps, id);
  });
  await deps.queue.schedule('reports.weekly_summary', WEEKLY_SUMMARY_CRON, {});
}
