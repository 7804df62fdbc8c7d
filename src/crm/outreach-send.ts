import { and, desc, eq, gt, sql } from 'drizzle-orm';
import { renderTemplate, splitName } from '../canned/canned-template.ts';
import {
  customerEvents,
  customerIdentities,
  customers,
  outreachCampaigns,
  outreachCoupons,
  outreachSends,
  tickets,
  workspaces,
} from '../db/schema/index.ts';
import { automationActor } from '../platform/auth/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { addMessage } from '../tickets/message-service.ts';
import { createTicketWithCustomer } from '../tickets/ticket-service.ts';
import { customerTemplateValues } from './crm-placeholders.ts';
import { CUSTOMER_EVENT } from './event-service.ts';
import { OPT_OUT_FOOTER, type OptOutLinks, optOutUrl } from './outreach-opt-out.ts';
import { inHoldout, inSegment, quietUntil } from './outreach-rules.ts';

declare module '../platform/queue/queue.ts' {
  interface JobTypes {
    /** One campaign's message for one business event, due when the customer's quiet hours allow. */
    'outreach.send': { workspaceId: string; campaignId: string; eventId: string; customerId: string };
  }
}

type Campaign = typeof outreachCampaigns.$inferSelect;
type Outcome = { outcome: 'sent' | 'held_out' | 'skipped'; reason?: string; ticketId?: string };

/**
 * Queues each active campaign listening for a business event's type, to run at once or when the
 * customer's quiet hours end. The singleton key makes a replayed event queue nothing twice.
 */
export function outreachScheduler(deps: { queue: Queue; clock: Clock }): OutboxHandler {
  return {
    name: 'crm.outreach',
    handles: (type) => type === CUSTOMER_EVENT,
    async handle(tx, event) {
      const payload = event.payload as { customer?: { id?: string }; event?: { id?: string; type?: string } };
      const customerId = payload.customer?.id;
      const business = payload.event;
      if (!customerId || !business?.id || !business.type) return;
      const campaigns = await tx
        .select()
        .from(outreachCampaigns)
        .where(
          and(
            eq(outreachCampaigns.workspaceId, event.workspaceId),
            eq(outreachCampaigns.eventType, business.type),
            eq(outreachCampaigns.active, true),
          ),
        );
      if (campaigns.length === 0) return;
      const [person] = await tx
        .select({ timeZone: customers.timeZone })
        .from(customers)
        .where(and(eq(customers.id, customerId), eq(customers.workspaceId, event.workspaceId)));
      for (const campaign of campaigns) {
        const until = quietUntil(
          deps.clock.now(),
          person?.timeZone ?? null,
          campaign.quietStart,
          campaign.quietEnd,
        );
        await deps.queue.send(
          'outreach.send',
          { workspaceId: event.workspaceId, campaignId: campaign.id, eventId: business.id, customerId },
          { tx, singletonKey: `outreach:${campaign.id}:${business.id}`, ...(until && { startAfter: until }) },
        );
      }
    },
  };
}

/** Whether the customer may be written to now, and where; the reason when not. */
async function eligibility(
  tx: Db,
  campaign: Campaign,
  customer: typeof customers.$inferSelect,
  now: Date,
): Promise<{ ok: true; chatTicketId: string | null } | { ok: false; reason: string }> {
  if (!customer.consentProactive) return { ok: false, reason: 'no_consent' };
  if (campaign.channel === 'email') {
    const [email] = await tx
      .select({ value: customerIdentities.value })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.customerId, customer.id), eq(customerIdentities.kind, 'email')))
      .limit(1);
    if (!email) return { ok: false, reason: 'no_email' };
  }
  let chatTicketId: string | null = null;
  if (campaign.channel === 'chat') {
    const [chat] = await tx
      .select({ id: tickets.id })
      .from(tickets)
      .where(
        and(
          eq(tickets.workspaceId, customer.workspaceId),
          eq(tickets.customerId, customer.id),
          eq(tickets.channel, 'chat'),
          sql`${tickets.status} <> 'closed'`,
        ),
      )
      .orderBy(desc(tickets.lastActivityAt))
      .limit(1);
    if (!chat) return { ok: false, reason: 'no_chat' };
    chatTicketId = chat.id;
  }
  // One proactive message per customer per window, whichever campaign sent it.
  const since = new Date(now.getTime() - campaign.throttleHours * 3_600_000);
  const [recent] = await tx
    .select({ id: outreachSends.id })
    .from(outreachSends)
    .where(
      and(
        eq(outreachSends.workspaceId, customer.workspaceId),
        eq(outreachSends.customerId, customer.id),
        eq(outreachSends.outcome, 'sent'),
        gt(outreachSends.createdAt, since),
      ),
    )
    .limit(1);
  if (recent) return { ok: false, reason: 'throttled' };
  return { ok: true, chatTicketId };
}

/** Takes a free coupon code of the campaign for this send; undefined when none is left. */
async function claimCoupon(tx: Db, campaign: Campaign, sendId: string, now: Date) {
  const [coupon] = await tx
    .update(outreachCoupons)
    .set({ sendId, assignedAt: now })
    .where(
      eq(
        outreachCoupons.id,
        sql`(SELECT id FROM outreach_coupons WHERE campaign_id = ${campaign.id} AND send_id IS NULL
          ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)`,
      ),
    )
    .returning({ code: outreachCoupons.code });
  return coupon?.code;
}

async function messageValues(
  tx: Db,
  campaign: Campaign,
  customer: typeof customers.$inferSelect,
  eventId: string,
) {
  const values = await customerTemplateValues(tx, campaign.workspaceId, customer.id);
  const name = splitName(customer.name);
  Object.assign(values, {
    'customer.first_name': name.first,
    'customer.last_name': name.last,
    'customer.name': customer.name,
  });
  const [event] = await tx
    .select()
    .from(customerEvents)
    .where(and(eq(customerEvents.id, eventId), eq(customerEvents.workspaceId, campaign.workspaceId)));
  // The event's own order speaks before the customer's latest one ("order 1042 is running late").
  if (event?.orderNumber) values['order.number'] = event.orderNumber;
  for (const [key, value] of Object.entries(event?.data ?? {}))
    if (typeof value === 'string' || typeof value === 'number')
      values[`event.${key.toLowerCase()}`] = String(value);
  const [workspace] = await tx
    .select({ name: workspaces.name })
    .from(workspaces)
    .where(eq(workspaces.id, campaign.workspaceId));
  values['workspace.name'] = workspace?.name ?? '';
  return values;
}

/**
 * One campaign's turn on one business event, in one transaction: records exactly one outcome per
 * campaign and event (sent, held out as control, or skipped with its reason) and, when sent, opens an
 * outbound email ticket or writes into the customer's chat. Idempotent: a rerun finds the outcome.
 */
export async function runOutreach(
  db: Db,
  links: OptOutLinks,
  job: { workspaceId: string; campaignId: string; eventId: string; customerId: string },
  now: Date,
): Promise<Outcome | null> {
  return db.transaction(async (tx) => {
    const [campaign] = await tx
      .select()
      .from(outreachCampaigns)
      .where(
        and(eq(outreachCampaigns.id, job.campaignId), eq(outreachCampaigns.workspaceId, job.workspaceId)),
      );
    if (!campaign?.active) return null;
    // The customer's row lock serialises campaigns racing to write to the same person (throttle).
    const [customer] = await tx
      .select()
      .from(customers)
      .where(and(eq(customers.id, job.customerId), eq(customers.workspaceId, job.workspaceId)))
      .for('update');
    if (!customer || customer.mergedIntoId || !inSegment(campaign.segment, customer)) return null;
    const [done] = await tx
      .select({ outcome: outreachSends.outcome })
      .from(outreachSends)
      .where(and(eq(outreachSends.campaignId, campaign.id), eq(outreachSends.eventId, job.eventId)));
    if (done) return { outcome: done.outcome };
    const record = async (outcome: Outcome) => {
      const [row] = await tx
        .insert(outreachSends)
        .values({
          workspaceId: job.workspaceId,
          campaignId: campaign.id,
          customerId: customer.id,
          eventId: job.eventId,
          outcome: outcome.outcome,
          reason: outcome.reason ?? null,
          ticketId: outcome.ticketId ?? null,
          createdAt: now,
        })
        .returning({ id: outreachSends.id });
      return row!.id;
    };
    const allowed = await eligibility(tx, campaign, customer, now);
    if (!allowed.ok) {
      await record({ outcome: 'skipped', reason: allowed.reason });
      return { outcome: 'skipped', reason: allowed.reason };
    }
    // The control group is drawn from customers who could have been reached, so the comparison is fair.
    if (inHoldout(campaign.id, customer.id, campaign.holdoutPercent)) {
      await record({ outcome: 'held_out' });
      return { outcome: 'held_out' };
    }
    const sendId = await record({ outcome: 'sent' });
    const values = await messageValues(tx, campaign, customer, job.eventId);
    if (/\{\{\s*coupon\.code/i.test(campaign.body)) {
      const code = await claimCoupon(tx, campaign, sendId, now);
      if (!code) {
        await tx
          .update(outreachSends)
          .set({ outcome: 'skipped', reason: 'coupons_exhausted' })
          .where(eq(outreachSends.id, sendId));
        return { outcome: 'skipped', reason: 'coupons_exhausted' };
      }
      values['coupon.code'] = code;
    }
    const optOut = optOutUrl(links, { workspaceId: job.workspaceId, customerId: customer.id });
    const body = `${renderTemplate(campaign.body, values).text}\n\n--\n${OPT_OUT_FOOTER} ${optOut}`;
    const channelMeta = { automation: { kind: 'outreach', campaignId: campaign.id, sendId } };
    const actor = automationActor(job.workspaceId);
    let ticketId: string;
    if (allowed.chatTicketId) {
      await addMessage(tx, actor, allowed.chatTicketId, { kind: 'public_reply', body, channelMeta });
      ticketId = allowed.chatTicketId;
    } else {
      // Opened solved: it waits in no queue, and the customer's answer reopens it with the context.
      const ticket = await createTicketWithCustomer(tx, actor, {
        subject: renderTemplate(campaign.subject, values).text,
        customer: { id: customer.id },
        message: { kind: 'public_reply', body, channelMeta },
        channel: 'email',
        status: 'solved',
        tags: ['proactive'],
      });
      ticketId = ticket.id;
    }
    await tx.update(outreachSends).set({ ticketId }).where(eq(outreachSends.id, sendId));
    return { outcome: 'sent', ticketId };
  });
}
