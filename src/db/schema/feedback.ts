import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceRef } from './columns.ts';
import { customers } from './customers.ts';
import { tickets } from './tickets.ts';
import { users } from './users.ts';
import { workspaces } from './workspaces.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** CSAT delay per channel (minutes after solve), link lifetime and the on/off switch of a workspace. */
export const feedbackSettings = pgTable('feedback_settings', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  csatEnabled: boolean('csat_enabled').notNull().default(true),
  csatDelayMinutes: jsonb('csat_delay_minutes').$type<Record<string, number>>().notNull().default({}),
  linkTtlHours: integer('link_ttl_hours').notNull().default(168),
  updatedAt: updatedAt(),
});

/** A survey sent (or due) to one customer; its signed links carry this id and die once answered or expired. */
export const surveyInvitations = pgTable(
  'survey_invitations',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<'csat' | 'nps' | 'ces'>().notNull(),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
    campaignId: uuid('campaign_id'),
    email: text('email'),
    sentAt: at('sent_at'),
    expiresAt: at('expires_at').notNull(),
    answeredAt: at('answered_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('survey_invitations_ticket_idx').on(t.ticketId, t.kind),
    index('survey_invitations_customer_idx').on(t.customerId, t.kind, t.createdAt),
    index('survey_invitations_agent_idx').on(t.agentId),
    index('survey_invitations_workspace_idx').on(t.workspaceId, t.createdAt),
    index('survey_invitations_campaign_idx').on(t.campaignId, t.createdAt),
  ],
);

/** One answer: CSAT 1–5, NPS 0–10 or CES 1–7, from an email link, the widget, a form or an import. */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<'csat' | 'nps' | 'ces'>().notNull(),
    score: smallint('score').notNull(),
    comment: text('comment'),
    source: text('source').notNull(),
    invitationId: uuid('invitation_id').references(() => surveyInvitations.id, { onDelete: 'set null' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
    answeredAt: at('answered_at').notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    index('survey_responses_workspace_idx').on(t.workspaceId, t.kind, t.answeredAt),
    uniqueIndex('survey_responses_invitation_idx').on(t.invitationId),
    index('survey_responses_ticket_idx').on(t.ticketId, t.answeredAt),
    index('survey_responses_customer_idx').on(t.customerId),
    index('survey_responses_agent_idx').on(t.agentId),
  ],
);

/** Recurring NPS/CES survey to the customers matching a segment, at most once per suppression window. */
export const surveyCampaigns = pgTable(
  'survey_campaigns',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind').$type<'nps' | 'ces'>().notNull(),
    segment: jsonb('segment').$type<{ tags?: string[]; companyIds?: string[] }>().notNull().default({}),
    everyDays: integer('every_days').notNull().default(30),
    suppressionDays: integer('suppression_days').notNull().default(90),
    /** Segment members skipped by suppression, summed over the campaign's runs. */
    suppressed: integer('suppressed').notNull().default(0),
    nextRunAt: at('next_run_at').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('survey_campaigns_workspace_idx').on(t.workspaceId, t.nextRunAt)],
);

/** A group of similar feedback texts with its readable label and, optionally, the fix made for it. */
export const feedbackThemes = pgTable(
  'feedback_themes',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    /** Set when an admin named the theme: learning themes again keeps that name. */
    labelSetAt: at('label_set_at'),
    terms: text('terms').array().notNull().default(sql`'{}'::text[]`),
    centroid: jsonb('centroid').$type<Record<string, number>>().notNull().default({}),
    actionLabel: text('action_label'),
    actionAt: at('action_at'),
    alertedAt: at('alerted_at'),
    /** When an admin acknowledged the last rise alert; an alert after it is open again. */
    alertAcknowledgedAt: at('alert_acknowledged_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('feedback_themes_workspace_idx').on(t.workspaceId)],
);

/** Free-text feedback (negative survey comments, complaints, imported reviews, the public form). */
export const feedbackItems = pgTable(
  'feedback_items',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
    body: text('body').notNull(),
    rating: real('rating'),
    email: text('email'),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    responseId: uuid('response_id').references(() => surveyResponses.id, { onDelete: 'cascade' }),
    themeId: uuid('theme_id').references(() => feedbackThemes.id, { onDelete: 'set null' }),
    externalId: text('external_id'),
    occurredAt: at('occurred_at').notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    index('feedback_items_workspace_idx').on(t.workspaceId, t.occurredAt),
    index('feedback_items_theme_idx').on(t.themeId, t.occurredAt),
    index('feedback_items_customer_idx').on(t.customerId),
    index('feedback_items_ticket_idx').on(t.ticketId),
    index('feedback_items_response_idx').on(t.responseId),
    uniqueIndex('feedback_items_external_idx').on(t.workspaceId, t.source, t.externalId),
  ],
);
