import { and, eq, lte, sql } from 'drizzle-orm';
import { surveyCampaigns } from '../db/schema/index.ts';
import { queueOutbound, senderFor } from '../email/outbound-queue.ts';
import { publicUrl } from '../platform/config.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import type { CampaignSegment } from './campaign-service.ts';
import { feedbackSettingsOf } from './feedback-settings.ts';
import { surveyEmail } from './survey-email.ts';
import { createInvitation, surveyLinks } from './survey-service.ts';

declare module '../platform/queue/queue.ts' {
  interface JobTypes {
    /** Finds campaigns whose next run is due (one workspace's, or all) and queues one run job for each. */
    'feedback.campaign_scan': { workspaceId?: string };
    /** Surveys one campaign's segment; `runAt` names the run so a retry is the same run. */
    'feedback.campaign_run': { workspaceId: string; campaignId: string; runAt: string };
  }
}

export const CAMPAIGN_SCAN_CRON = '*/15 * * * *';
const BATCH = 100;
const DAY = 86_400_000;

/**
 * Claims every due campaign: moves its next run on by its period and queues its run job, in one
 * transaction, so two scans never run a campaign twice. Resolves to how many it queued.
 */
export async function scanCampaigns(
  deps: Pick<Deps, 'db' | 'clock' | 'queue'>,
  job: { workspaceId?: string | undefined } = {},
): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(surveyCampaigns)
      .where(
        and(
          eq(surveyCampaigns.active, true),
          lte(surveyCampaigns.nextRunAt, now),
          job.workspaceId ? eq(surveyCampaigns.workspaceId, job.workspaceId) : undefined,
        ),
      )
      .for('update', { skipLocked: true });
    for (const campaign of due) {
      // A campaign paused for months runs once now, not once per missed period.
      let next = campaign.nextRunAt.getTime();
      while (next <= now.getTime()) next += campaign.everyDays * DAY;
      await tx
        .update(surveyCampaigns)
        .set({ nextRunAt: new Date(next), updatedAt: now })
        .where(eq(surveyCampaigns.id, campaign.id));
      const runAt = campaign.nextRunAt.toISOString();
      await deps.queue.send(
        'feedback.campaign_run',
        { workspaceId: campaign.workspaceId, campaignId: campaign.id, runAt },
        { tx, singletonKey: `campaign:${campaign.id}:${runAt}` },
      );
    }
    return due.length;
  });
}

type Member = { customer_id: string; email: string; suppressed: boolean };

/**
 * The segment's customers with an email address, merged-away customers and those who opted out of
 * proactive messages left out; `suppressed` marks who had an NPS or CES survey within the campaign's
 * suppression window (any campaign's), except one sent by this same run, so a retried run counts alike.
 */
async function segmentMembers(
  deps: Pick<Deps, 'db'>,
  campaign: typeof surveyCampaigns.$inferSelect,
  now: Date,
  runAt: Date,
) {
  const segment = campaign.segment as CampaignSegment;
  const since = new Date(now.getTime() - campaign.suppressionDays * DAY).toISOString();
  const list = (values: string[], type: string) =>
    sql`ARRAY[${sql.join(
      values.map((value) => sql`${value}`),
      sql`, `,
    )}]::${sql.raw(type)}`;
  const tags = segment.tags?.length ? sql`AND c.tags && ${list(segment.tags, 'text[]')}` : sql``;
  const companies = segment.companyIds?.length
    ? sql`AND c.company_id = ANY(${list(segment.companyIds, 'uuid[]')})`
    : sql``;
  return queryRows<Member>(
    deps.db,
    sql`SELECT c.id AS customer_id, e.value AS email,
          EXISTS (
            SELECT 1 FROM survey_invitations i
            WHERE i.customer_id = c.id AND i.kind IN ('nps', 'ces')
              AND i.created_at > ${since}::timestamptz
              AND NOT (i.campaign_id IS NOT DISTINCT FROM ${campaign.id}::uuid
                AND i.sent_at >= ${runAt.toISOString()}::timestamptz)
          ) AS suppressed
        FROM customers c
        JOIN LATERAL (
          SELECT value FROM customer_identities
          WHERE customer_id = c.id AND kind = 'email' ORDER BY created_at LIMIT 1
        ) e ON true
        WHERE c.workspace_id = ${campaign.workspaceId} AND c.merged_into_id IS NULL
          AND c.consent_proactive ${tags} ${companies}
        ORDER BY c.id`,
  );
}

/** Who a run still has to survey: the segment less the suppressed and whoever this run already reached. */
async function recipients(
  deps: Pick<Deps, 'db'>,
  campaign: typeof surveyCampaigns.$inferSelect,
  now: Date,
  runAt: Date,
) {
  const members = await segmentMembers(deps, campaign, now, runAt);
  const reached = await queryRows<{ customer_id: string }>(
    deps.db,
    sql`SELECT customer_id FROM survey_invitations
        WHERE campaign_id = ${campaign.id}::uuid AND sent_at >= ${runAt.toISOString()}::timestamptz`,
  );
  const done = new Set(reached.map((row) => row.customer_id));
  return {
    people: members.filter((member) => !member.suppressed && !done.has(member.customer_id)),
    // The attempt that reached someone already counted this run's suppressed members.
    suppressed: done.size > 0 ? 0 : members.filter((member) => member.suppressed).length,
  };
}

/**
 * Sends one campaign run: an invitation and an email with one-click links per recipient, a batch
 * per transaction; the members it skipped for suppression are added to the campaign's count. Safe to
 * repeat: whoever this run reached is not surveyed again. Resolves to how many it sent.
 */
export async function runCampaign(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'secretBox'>,
  job: { workspaceId: string; campaignId: string; runAt?: string | undefined },
): Promise<number> {
  const now = deps.clock.now();
  const [campaign] = await deps.db
    .select()
    .from(surveyCampaigns)
    .where(and(eq(surveyCampaigns.id, job.campaignId), eq(surveyCampaigns.workspaceId, job.workspaceId)));
  if (!campaign?.active) return 0;
  const settings = await feedbackSettingsOf(deps.db, job.workspaceId);
  const runAt = job.runAt ? new Date(job.runAt) : now;
  const { people, suppressed } = await recipients(deps, campaign, now, runAt);
  // Counted with the first batch, so a retried run finds it counted exactly when it finds people reached.
  const countSuppressed = async (tx: Db) => {
    if (suppressed > 0)
      await tx
        .update(surveyCampaigns)
        .set({ suppressed: sql`${surveyCampaigns.suppressed} + ${suppressed}` })
        .where(eq(surveyCampaigns.id, campaign.id));
  };
  if (people.length === 0) await countSuppressed(deps.db);
  for (let start = 0; start < people.length; start += BATCH)
    await deps.db.transaction(async (tx) => {
      if (start === 0) await countSuppressed(tx);
      const sender = await senderFor(tx, deps.config, job.workspaceId, null);
      for (const person of people.slice(start, start + BATCH)) {
        const invitation = await createInvitation(
          tx,
          {
            workspaceId: job.workspaceId,
            kind: campaign.kind,
            customerId: person.customer_id,
            campaignId: campaign.id,
            email: person.email,
            ttlHours: settings.linkTtlHours,
          },
          now,
        );
        const links = surveyLinks(deps.secretBox, publicUrl(deps.config), invitation);
        const mail = surveyEmail({
          kind: campaign.kind,
          brand: sender.brand,
          links,
          ttlHours: settings.linkTtlHours,
        });
        await queueOutbound(tx, {
          workspaceId: job.workspaceId,
          kind: 'notification',
          dedupeKey: `survey:${invitation.id}`,
          ticketId: null,
          messageId: null,
          fromAddress: sender.address,
          fromName: sender.brand,
          to: [person.email],
          ...mail,
          threads: false,
        });
      }
    });
  return people.length;
}

/** Worker-role registration: the scan on the durable queue's cron, and the run jobs it queues. */
export async function startCampaignJobs(deps: Deps): Promise<void> {
  await deps.queue.declare(['feedback.campaign_scan', 'feedback.campaign_run']);
  await deps.queue.work('feedback.campaign_scan', async (job) => {
    await scanCampaigns(deps, job);
  });
  await deps.queue.work('feedback.campaign_run', async (job) => {
    await runCampaign(deps, job);
  });
  await deps.queue.schedule('feedback.campaign_scan', CAMPAIGN_SCAN_CRON, {});
}
