import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, workspaceRef } from './columns.ts';
import { customers } from './customers.ts';
import { messages, tickets } from './tickets.ts';
import { workspaces } from './workspaces.ts';

/** Office hours: per weekday (0 = Sunday) a list of [from, to] as "HH:MM" in the workspace's time zone. */
export type ChatOfficeHours = { timeZone: string; days: Record<string, [string, string][]> };
export type ChatPreChatField = { key: string; label: string; required: boolean };

/**
 * A workspace's widget: how it looks and when it is staffed. The secrets are sealed with the install's
 * key: one signs visitor tokens, the other is the identity-verification secret sites HMAC user ids with
 * (kept apart so rotating the one a site knows does not forget every anonymous visitor).
 */
export const chatSettings = pgTable('chat_settings', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  enabled: boolean('enabled').notNull().default(true),
  brandColor: text('brand_color').notNull().default('#4f46e5'),
  title: text('title').notNull().default(''),
  greeting: text('greeting').notNull().default('Hi! How can we help?'),
  avatarUrls: text('avatar_urls').array().notNull().default([]),
  officeHours: jsonb('office_hours').$type<ChatOfficeHours | null>(),
  replyTime: text('reply_time').notNull().default('We usually reply in a few minutes'),
  offlineMessage: text('offline_message')
    .notNull()
    .default('We are away right now. Leave your email and we will answer there.'),
  preChatForm: jsonb('pre_chat_form')
    .$type<{ enabled: boolean; fields: ChatPreChatField[] }>()
    .notNull()
    .default({ enabled: false, fields: [] }),
  // Sites that identify users must send a valid hash; without one a visitor stays anonymous.
  requireIdentity: boolean('require_identity').notNull().default(false),
  visitorKeySealed: text('visitor_key_sealed').notNull(),
  identitySecretSealed: text('identity_secret_sealed').notNull(),
  updatedAt: updatedAt(),
});

/** Where a visitor is and whether they are connected (from any node): what the agent sees on the ticket. */
export const chatVisitors = pgTable(
  'chat_visitors',
  {
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    // Open sockets across all nodes; trusted only while seen_at is fresh (a crashed node never decrements).
    connections: integer('connections').notNull().default(0),
    seenAt: timestamp('seen_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    pageUrl: text('page_url'),
    pageTitle: text('page_title'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.visitorId] }),
    index('chat_visitors_customer_idx').on(t.customerId),
  ],
);

/** One chat: the ticket it lives in, its sequence counter and how far each side has read. */
export const chatConversations = pgTable(
  'chat_conversations',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    visitorId: text('visitor_id').notNull(),
    lastSeq: integer('last_seq').notNull().default(0),
    visitorReadSeq: integer('visitor_read_seq').notNull().default(0),
    agentReadSeq: integer('agent_read_seq').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('chat_conversations_customer_idx').on(t.customerId, t.createdAt),
    index('chat_conversations_workspace_idx').on(t.workspaceId, t.createdAt),
    index('chat_conversations_visitor_idx').on(t.workspaceId, t.visitorId, t.createdAt),
  ],
);

export const chatSenderEnum = pgEnum('chat_sender', ['visitor', 'agent']);

/**
 * The chat's view of a ticket message: its place in the conversation and, for a visitor's, the
 * client's id for it, which makes a resend after a reconnect a no-op.
 */
export const chatMessages = pgTable(
  'chat_messages',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => chatConversations.ticketId, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    sender: chatSenderEnum('sender').notNull(),
    clientMessageId: text('client_message_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.seq] }),
    uniqueIndex('chat_messages_message_idx').on(t.messageId),
    uniqueIndex('chat_messages_client_idx').on(t.ticketId, t.clientMessageId),
    index('chat_messages_workspace_idx').on(t.workspaceId),
  ],
);
