import { and, asc, desc, eq } from 'drizzle-orm';
import { surveyCampaigns } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';

export type CampaignRow = typeof surveyCampaigns.$inferSelect;
export type CampaignSegment = { tags?: string[]; companyIds?: string[] };
export type CampaignInput = {
  name: string;
  kind: 'nps' | 'ces';
  segment: CampaignSegment;
  everyDays: number;
  suppressionDays: number;
  startAt: Date;
  active: boolean;
};

/** Not more than one NPS or CES survey per customer in this many days, unless a campaign says otherwise. */
export const DEFAULT_SUPPRESSION_DAYS = 90;

function adminOnly(actor: Actor) {
  if (actor.role !== 'admin') throw forbidden('Only admins manage survey campaigns');
}

async function changed(tx: Db, actor: Actor, type: string, campaign: CampaignRow) {
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    type,
    payload: {
      campaign: { id: campaign.id, name: campaign.name, kind: campaign.kind },
      actorId: actor.userId,
    },
  });
}

/** Creates a recurring NPS/CES campaign whose first run is due at `startAt`; admins only. */
export async function createCampaign(db: Db, actor: Actor, input: CampaignInput, now: Date) {
  adminOnly(actor);
  return db.transaction(async (tx) => {
    const [campaign] = await tx
      .insert(surveyCampaigns)
      .values({
        workspaceId: actor.workspaceId,
        name: input.name,
        kind: input.kind,
        segment: input.segment,
        everyDays: input.everyDays,
        suppressionDays: input.suppressionDays,
        nextRunAt: input.startAt,
        active: input.active,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await changed(tx, actor, 'survey_campaign.created', campaign!);
    return campaign!;
  });
}

/** Changes a campaign (a new `startAt` moves its next run); throws not_found for another workspace's. */
export async function updateCampaign(
  db: Db,
  actor: Actor,
  id: string,
  input: Partial<CampaignInput>,
  now: Date,
) {
  adminOnly(actor);
  const { startAt, ...rest } = input;
  return db.transaction(async (tx) => {
    const [campaign] = await tx
      .update(surveyCampaigns)
      .set({ ...rest, ...(startAt && { nextRunAt: startAt }), updatedAt: now })
      .where(and(eq(surveyCampaigns.id, id), eq(surveyCampaigns.workspaceId, actor.workspaceId)))
      .returning();
    if (!campaign) throw notFound('Campaign');
    await changed(tx, actor, 'survey_campaign.updated', campaign);
    return campaign;
  });
}

export async function deleteCampaign(db: Db, actor: Actor, id: string) {
  adminOnly(actor);
  await db.transaction(async (tx) => {
    const [campaign] = await tx
      .delete(surveyCampaigns)
      .where(and(eq(surveyCampaigns.id, id), eq(surveyCampaigns.workspaceId, actor.workspaceId)))
      .returning();
    if (!campaign) throw notFound('Campaign');
    await changed(tx, actor, 'survey_campaign.deleted', campaign);
  });
}

export async function listCampaigns(db: Db, actor: Actor) {
  return db
    .select()
    .from(surveyCampaigns)
    .where(eq(surveyCampaigns.workspaceId, actor.workspaceId))
    .orderBy(desc(surveyCampaigns.createdAt), asc(surveyCampaigns.id));
}
