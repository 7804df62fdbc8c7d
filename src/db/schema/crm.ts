import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceRef } from './columns.ts';
import { customers } from './customers.ts';
import { users } from './users.ts';
import { workspaces } from './workspaces.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const money = (name: string) => numeric(name, { precision: 14, scale: 2, mode: 'number' });

/**
 * Something the company's own systems told us about a customer: an order, a shipment, a payment, or any
 * free-form event. `externalId` is the sender's event id; one id is stored once per workspace.
 */
export const customerEvents = pgTable(
  'customer_events',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    externalId: text('external_id'),
    occurredAt: at('occurred_at').notNull(),
    orderNumber: text('order_number'),
    amount: money('amount'),
    currency: text('currency'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('customer_events_external_idx').on(t.workspaceId, t.externalId),
    index('customer_events_customer_idx').on(t.customerId, t.occurredAt),
    index('customer_events_workspace_type_idx').on(t.workspaceId, t.type, t.occurredAt),
    index('customer_events_order_idx').on(t.workspaceId, t.orderNumber),
  ],
);

/** The lines of an order event, one row per item: what recommendations learn from. */
export const customerOrderItems = pgTable(
  'customer_order_items',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => customerEvents.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    name: text('name').notNull().default(''),
    quantity: integer('quantity').notNull().default(1),
    unitPrice: money('unit_price'),
    occurredAt: at('occurred_at').notNull(),
  },
  (t) => [
    index('customer_order_items_workspace_idx').on(t.workspaceId, t.occurredAt),
    index('customer_order_items_customer_idx').on(t.customerId, t.occurredAt),
    index('customer_order_items_event_idx').on(t.eventId),
  ],
);

/** Agents' notes on a customer; pinned ones show first on the profile ("prefers phone after 5 pm"). */
export const customerNotes = pgTable(
  'customer_notes',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    pinned: boolean('pinned').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('customer_notes_customer_idx').on(t.customerId, t.pinned, t.createdAt),
    index('customer_notes_author_idx').on(t.authorId),
  ],
);

/** Who a campaign may reach besides the event's own filter: customers with any of these tags or tiers. */
export type OutreachSegment = { tags?: string[]; tiers?: string[] };

/** A proactive message sent when a business event of `eventType` arrives, within the guard rails. */
export const outreachCampaigns = pgTable(
  'outreach_campaigns',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    eventType: text('event_type').notNull(),
    /** email opens an outbound email ticket; chat writes into the customer's latest chat conversation. */
    channel: text('channel').$type<'email' | 'chat'>().notNull().default('email'),
    segment: jsonb('segment').$type<OutreachSegment>().notNull().default({}),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    active: boolean('active').notNull().default(true),
    holdoutPercent: smallint('holdout_percent').notNull().default(10),
    throttleHours: smallint('throttle_hours').notNull().default(24),
    quietStart: text('quiet_start').notNull().default('21:00'),
    quietEnd: text('quiet_end').notNull().default('08:00'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('outreach_campaigns_workspace_event_idx').on(t.workspaceId, t.eventType)],
);

/** Unique coupon codes uploaded for a campaign; each goes to one sent message (`sendId`). */
export const outreachCoupons = pgTable(
  'outreach_coupons',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => outreachCampaigns.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    sendId: uuid('send_id'),
    assignedAt: at('assigned_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('outreach_coupons_code_idx').on(t.campaignId, t.code),
    index('outreach_coupons_free_idx').on(t.campaignId).where(sql`${t.sendId} IS NULL`),
    index('outreach_coupons_workspace_idx').on(t.workspaceId),
  ],
);

/** What a campaign did for one event: sent, held out (the control group) or skipped, and why. */
export const outreachSends = pgTable(
  'outreach_sends',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => outreachCampaigns.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id').references(() => customerEvents.id, { onDelete: 'set null' }),
    outcome: text('outcome').$type<'sent' | 'held_out' | 'skipped'>().notNull(),
    reason: text('reason'),
    ticketId: uuid('ticket_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('outreach_sends_event_idx').on(t.campaignId, t.eventId),
    index('outreach_sends_customer_idx').on(t.customerId, t.createdAt),
    index('outreach_sends_workspace_idx').on(t.workspaceId, t.campaignId, t.createdAt),
  ],
);

/**
 * A suggested duplicate an agent said is two people: the pair (lower id first) is never suggested again
 * in this workspace. Deleting the row undoes it.
 */
export const customerDuplicateDismissals = pgTable(
  'customer_duplicate_dismissals',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerAId: uuid('customer_a_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    customerBId: uuid('customer_b_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    dismissedById: uuid('dismissed_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('customer_duplicate_dismissals_pair_idx').on(t.customerAId, t.customerBId),
    index('customer_duplicate_dismissals_b_idx').on(t.customerBId),
    index('customer_duplicate_dismissals_workspace_idx').on(t.workspaceId, t.createdAt),
    index('customer_duplicate_dismissals_user_idx').on(t.dismissedById),
  ],
);
