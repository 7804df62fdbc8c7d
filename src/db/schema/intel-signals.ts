import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceRef } from './columns.ts';
import { messages, tickets } from './tickets.ts';
import { users } from './users.ts';
import { workspaces } from './workspaces.ts';

/** Where a workspace's triage categories come from: a select/text custom field, or tags with a prefix. */
export type TriageSource = { kind: 'field'; key: string } | { kind: 'tags'; prefix: string };
/** What a category means for routing: the team and priority a ticket of it gets. */
export type TriageMapping = Record<
  string,
  { teamId?: string | undefined; priority?: 'low' | 'normal' | 'high' | 'urgent' | undefined }
>;

/** A workspace's triage: where labels come from, when to act, and what each category routes to. */
export const intelTriageSettings = pgTable('intel_triage_settings', {
  workspaceId: workspaceRef()
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  enabled: boolean('enabled').notNull().default(true),
  source: jsonb('source').$type<TriageSource>().notNull(),
  /** Calibrated confidence at or above which triage acts; below it only proposes. */
  threshold: real('threshold').notNull().default(0.8),
  mapping: jsonb('mapping').$type<TriageMapping>().notNull().default({}),
  updatedByUserId: uuid('updated_by_user_id').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: updatedAt(),
});

/** The workspace's trained classifier, serialised; one row per workspace, replaced by each training. */
export const intelTriageModels = pgTable('intel_triage_models', {
  workspaceId: workspaceRef()
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  /** Bumped by every full training and every incremental update: caches key on it. */
  version: integer('version').notNull().default(1),
  /** JSON of the classifier (int8 weights in base64): text, as it is only ever read whole. */
  model: text('model').notNull(),
  labels: text('labels').array().notNull(),
  trainedRows: integer('trained_rows').notNull(),
  /** Accuracy on a held-out fifth of the labelled tickets, before the final training on all. */
  holdoutAccuracy: real('holdout_accuracy'),
  learnedCorrections: integer('learned_corrections').notNull().default(0),
  trainSeconds: real('train_seconds').notNull(),
  trainedAt: timestamp('trained_at', { withTimezone: true, precision: 3 }).notNull(),
  updatedAt: updatedAt(),
});

/** What triage said of one ticket, and what became of it. */
export const intelTriageSuggestions = pgTable(
  'intel_triage_suggestions',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    category: text('category').notNull(),
    confidence: real('confidence').notNull(),
    alternatives: jsonb('alternatives').$type<{ label: string; confidence: number }[]>().notNull(),
    teamId: uuid('team_id'),
    priority: text('priority'),
    /** applied (acted, above threshold), proposed (waiting for an agent), accepted, corrected. */
    state: text('state').notNull(),
    modelVersion: integer('model_version').notNull(),
    decidedByUserId: uuid('decided_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('intel_triage_suggestions_ticket_idx').on(t.ticketId),
    index('intel_triage_suggestions_state_idx').on(t.workspaceId, t.state, t.createdAt),
  ],
);

/** An agent's verdict on a suggestion: the category the ticket really is, learnt by the next update. */
export const intelTriageFeedback = pgTable(
  'intel_triage_feedback',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    predicted: text('predicted'),
    category: text('category').notNull(),
    text: text('text').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    learnedAt: timestamp('learned_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (t) => [
    index('intel_triage_feedback_pending_idx').on(t.workspaceId, t.learnedAt),
    index('intel_triage_feedback_ticket_idx').on(t.ticketId),
  ],
);

/** Sentiment, frustration and urgency of one customer message, scored when it arrived. */
export const intelMessageSentiments = pgTable(
  'intel_message_sentiments',
  {
    messageId: uuid('message_id')
      .primaryKey()
      .references(() => messages.id, { onDelete: 'cascade' }),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    score: real('score').notNull(),
    label: text('label').notNull(),
    frustration: real('frustration').notNull(),
    urgency: real('urgency').notNull(),
    signals: text('signals').array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('intel_message_sentiments_ticket_idx').on(t.ticketId, t.createdAt)],
);

/** The ticket's mood so far: the latest customer message's label, the trend across them, the peaks. */
export const intelTicketSentiments = pgTable(
  'intel_ticket_sentiments',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    score: real('score').notNull(),
    /** improving, steady or worsening, from the first customer message to the latest. */
    trend: text('trend').notNull(),
    frustration: real('frustration').notNull(),
    urgency: real('urgency').notNull(),
    messages: integer('messages').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [index('intel_ticket_sentiments_workspace_idx').on(t.workspaceId, t.label)],
);
