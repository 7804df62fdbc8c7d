import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import { type OutreachSegment, outreachCampaigns, outreachCoupons } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';

export type OutreachCampaign = typeof outreachCampaigns.$inferSelect;
export type OutreachInput = {
  name: string;
  eventType: string;
  channel: 'email' | 'chat';
  segment: OutreachSegment;
  subject: string;
  body: string;
  active: boolean;
  holdoutPercent: number;
  throttleHours: number;
  quietStart: string;
  quietEnd: string;
};

/** Customers who opened a ticket within this many days after a message (or after being held out). */
export const OUTCOME_DAYS = 7;

function adminOnly(actor: Actor) {
  if (actor.role !== 'admin') throw forbidden('Only admins manage proactive campaigns');
}

async function changed(tx: Db, actor: Actor, type: string, campaign: OutreachCampaign) {
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    type,
    payload: { campaign: { id: campaign.id, name: campaign.name }, actorId: actor.userId },
  });
}

export async function listOutreachCampaigns(db: Db, actor: Actor) {
  return db
    .select()
    .from(outreachCampaigns)
    .where(eq(outreachCampaigns.workspaceId, actor.workspaceId))
    .orderBy(asc(outreachCampaigns.name), asc(outreachCampaigns.id));
}

/** One campaign of the actor's workspace; throws not_found for any other. */
export async function getOutreachCampaign(db: Db, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(outreachCampaigns)
    .where(and(eq(outreachCampaigns.id, id), eq(outreachCampaigns.workspaceId, actor.workspaceId)));
  if (!row) throw notFound('Campaign');
  return row;
}

/** Creates a campaign that writes to customers when their business events of `eventType` arrive; admins only. */
export async function createOutreachCampaign(db: Db, actor: Actor, input: OutreachInput) {
  adminOnly(actor);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(outreachCampaigns)
      .values({ workspaceId: actor.workspaceId, ...input })
      .returning();
    await changed(tx, actor, 'outreach_campaign.created', row!);
    return row!;
  });
}

export async function updateOutreachCampaign(
  db: Db,
  actor: Actor,
  id: string,
  input: Partial<OutreachInput>,
) {
  adminOnly(actor);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(outreachCampaigns)
      .set({ ...input, updatedAt: new Date() })
      .where(and(eq(outreachCampaigns.id, id), eq(outreachCampaigns.workspaceId, actor.workspaceId)))
      .returning();
    if (!row) throw notFound('Campaign');
    await changed(tx, actor, 'outreach_campaign.updated', row);
    return row;
  });
}

export async function deleteOutreachCampaign(db: Db, actor: Actor, id: string) {
  adminOnly(actor);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(outreachCampaigns)
      .where(and(eq(outreachCampaigns.id, id), eq(outreachCampaigns.workspaceId, actor.workspaceId)))
      .returning();
    if (!row) throw notFound('Campaign');
    await changed(tx, actor, 'outreach_campaign.deleted', row);
  });
}

/**
 * Adds unique coupon codes to a campaign's pool (`{{coupon.code}}` in its body takes one per message);
 * a code already in the pool is counted as a duplicate, not added twice.
 */
export async function addCoupons(db: Db, actor: Actor, id: string, codes: string[]) {
  adminOnly(actor);
  const campaign = await getOutreachCampaign(db, actor, id);
  const unique = [...new Set(codes.map((code) => code.trim()).filter(Boolean))];
  const added = unique.length
    ? await db
        .insert(outreachCoupons)
        .values(unique.map((code) => ({ workspaceId: actor.workspaceId, campaignId: campaign.id, code })))
        .onConflictDoNothing()
        .returning({ id: outreachCoupons.id })
    : [];
  return {
    added: added.length,
    duplicates: codes.length - added.length,
    left: await couponsLeft(db, campaign.id),
  };
}

async function couponsLeft(db: Db, campaignId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(outreachCoupons)
    .where(and(eq(outreachCoupons.campaignId, campaignId), isNull(outreachCoupons.sendId)));
  return row?.n ?? 0;
}

type GroupFigures = { customers: number; openedTicket: number; rate: number | null; settled: number };

/**
 * What a campaign did: messages sent, held out and skipped (by reason), and the outcome, the share of
 * customers who opened a ticket within 7 days, for the contacted group against the hold-out group.
 * `settled` counts the customers whose 7 days are over; the rates are over them only, so a young
 * campaign shows no rate rather than a low one.
 */
export async function outreachStats(db: Db, actor: Actor, id: string, now: Date) {
  const campaign = await getOutreachCampaign(db, actor, id);
  const settledBefore = new Date(now.getTime() - OUTCOME_DAYS * 86_400_000);
  const rows = await queryRows<{
    outcome: string;
    reason: string;
    n: number;
    settled: number;
    opened: number;
  }>(
    db,
    sql`
      SELECT s.outcome, coalesce(s.reason, '') AS reason, count(*)::int AS n,
        count(*) FILTER (WHERE s.created_at <= ${settledBefore})::int AS settled,
        count(*) FILTER (WHERE s.created_at <= ${settledBefore} AND EXISTS (
          SELECT 1 FROM tickets t
          WHERE t.workspace_id = s.workspace_id AND t.customer_id = s.customer_id
            AND t.created_at > s.created_at AND t.created_at <= s.created_at + ${`${OUTCOME_DAYS} days`}::interval
            -- Proactive messages are tickets too; only the customer's own count.
            AND NOT EXISTS (SELECT 1 FROM outreach_sends o WHERE o.ticket_id = t.id)))::int AS opened
      FROM outreach_sends s
      WHERE s.workspace_id = ${actor.workspaceId} AND s.campaign_id = ${campaign.id}
      GROUP BY s.outcome, s.reason`,
  );
  const group = (outcome: string): GroupFigures => {
    const of = rows.filter((row) => row.outcome === outcome);
    const settled = of.reduce((sum, row) => sum + row.settled, 0);
    const opened = of.reduce((sum, row) => sum + row.opened, 0);
    return {
      customers: of.reduce((sum, row) => sum + row.n, 0),
      settled,
      openedTicket: opened,
      rate: settled > 0 ? Math.round((opened / settled) * 10_000) / 10_000 : null,
    };
  };
  const contacted = group('sent');
  const holdout = group('held_out');
  const skipped: Record<string, number> = {};
  for (const row of rows.filter((r) => r.outcome === 'skipped')) skipped[row.reason] = row.n;
  return {
    campaignId: campaign.id,
    sent: contacted.customers,
    heldOut: holdout.customers,
    skipped,
    contacted,
    holdout,
    // Negative when reaching out saved tickets (fewer customers had to ask).
    difference:
      contacted.rate !== null && holdout.rate !== null
        ? Math.round((contacted.rate - holdout.rate) * 10_000) / 10_000
        : null,
    couponsLeft: await couponsLeft(db, campaign.id),
  };
}
