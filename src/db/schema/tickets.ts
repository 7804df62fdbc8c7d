import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tsvector, updatedAt, workspaceRef } from './columns.ts';
import { customers } from './customers.ts';
import { teams } from './teams.ts';
import { users } from './users.ts';
import { workspaces } from './workspaces.ts';

export const ticketStatusEnum = pgEnum('ticket_status', [
  'new',
  'open',
  'pending',
  'on_hold',
  'solved',
  'closed',
]);
export const ticketPriorityEnum = pgEnum('ticket_priority', ['low', 'normal', 'high', 'urgent']);
export const channelEnum = pgEnum('channel', ['email', 'chat', 'web', 'api', 'phone', 'social']);
export const messageKindEnum = pgEnum('message_kind', ['customer_message', 'public_reply', 'internal_note']);
export const ticketLinkKindEnum = pgEnum('ticket_link_kind', ['related', 'parent_of']);

export type Attachment = {
  name: string;
  contentType: string;
  size: number;
  url?: string;
  storageKey?: string;
};

export const tickets = pgTable(
  'tickets',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    subject: text('subject').notNull(),
    status: ticketStatusEnum('status').notNull().default('new'),
    priority: ticketPriorityEnum('priority').notNull().default('normal'),
    channel: channelEnum('channel').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => tickets.id),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true, precision: 3 })
      .notNull()
      .defaultNow(),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true, precision: 3 }),
    solvedAt: timestamp('solved_at', { withTimezone: true, precision: 3 }),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }),
    search: tsvector('search').generatedAlwaysAs(sql`to_tsvector('simple', coalesce(subject, ''))`),
  },
  (t) => [
    uniqueIndex('tickets_workspace_number_idx').on(t.workspaceId, t.number),
    index('tickets_workspace_activity_idx').on(t.workspaceId, t.lastActivityAt, t.id),
    // Reports select tickets by when they were created or last solved.
    index('tickets_workspace_created_idx').on(t.workspaceId, t.createdAt),
    index('tickets_workspace_solved_idx').on(t.workspaceId, t.solvedAt),
    index('tickets_workspace_updated_idx').on(t.workspaceId, t.updatedAt, t.id),
    index('tickets_workspace_status_activity_idx').on(t.workspaceId, t.status, t.lastActivityAt, t.id),
    index('tickets_assignee_idx').on(t.assigneeId, t.status, t.lastActivityAt),
    index('tickets_team_idx').on(t.teamId, t.status, t.lastActivityAt),
    index('tickets_customer_idx').on(t.customerId, t.lastActivityAt),
    index('tickets_workspace_channel_idx').on(t.workspaceId, t.channel, t.lastActivityAt),
    index('tickets_workspace_priority_idx').on(t.workspaceId, t.priority, t.lastActivityAt, t.id),
    index('tickets_merged_into_idx').on(t.mergedIntoId),
    index('tickets_created_by_idx').on(t.createdByUserId),
    index('tickets_tags_idx').using('gin', t.tags),
    index('tickets_search_idx').using('gin', t.search),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    kind: messageKindEnum('kind').notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    authorCustomerId: uuid('author_customer_id').references(() => customers.id, { onDelete: 'set null' }),
    channel: channelEnum('channel').notNull(),
    bodyText: text('body_text').notNull(),
    bodyHtml: text('body_html'),
    attachments: jsonb('attachments').$type<Attachment[]>().notNull().default([]),
    channelMeta: jsonb('channel_meta').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    search: tsvector('search').generatedAlwaysAs(sql`to_tsvector('simple', coalesce(body_text, ''))`),
  },
  (t) => [
    index('messages_ticket_idx').on(t.ticketId, t.createdAt),
    index('messages_workspace_created_idx').on(t.workspaceId, t.createdAt),
    index('messages_author_user_idx').on(t.authorUserId),
    index('messages_author_customer_idx').on(t.authorCustomerId),
    index('messages_search_idx').using('gin', t.search),
  ],
);

/** Append-only history of a ticket: who changed what, when. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    type: text('type').notNull(),
    changes: jsonb('changes').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index('ticket_events_ticket_idx').on(t.ticketId, t.id),
    index('ticket_events_actor_idx').on(t.actorUserId),
    index('ticket_events_workspace_created_idx').on(t.workspaceId, t.createdAt),
  ],
);

export const ticketLinks = pgTable(
  'ticket_links',
  {
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    otherTicketId: uuid('other_ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    kind: ticketLinkKindEnum('kind').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.otherTicketId, t.kind] }),
    index('ticket_links_other_idx').on(t.otherTicketId),
    index('ticket_links_workspace_idx').on(t.workspaceId),
  ],
);

/**
 * View counts kept as counters, spread over shards so concurrent writers rarely
 * wait on one row; a count is the sum of a key's shards.
 */
export const ticketCounts = pgTable(
  'ticket_counts',
  {
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    viewKey: text('view_key').notNull(),
    shard: smallint('shard').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.viewKey, t.shard] })],
);
