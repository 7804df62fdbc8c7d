import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceRef } from './columns.ts';
import { customers } from './customers.ts';
import { messages, tickets } from './tickets.ts';
import { users } from './users.ts';
import { workspaces } from './workspaces.ts';

const moment = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const channelAccountKindEnum = pgEnum('channel_account_kind', [
  'generic',
  'whatsapp',
  'telegram',
  'twilio',
]);

/**
 * One connected outside platform. Secrets are sealed with the install's key: `secret` verifies what
 * arrives (HMAC key, WhatsApp app secret, Telegram secret token, Twilio auth token); `token` authorises
 * what we send (WhatsApp access token, Telegram bot token).
 */
export const channelAccounts = pgTable(
  'channel_accounts',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    kind: channelAccountKindEnum('kind').notNull(),
    name: text('name').notNull(),
    settings: jsonb('settings').$type<Record<string, string>>().notNull().default({}),
    secretEncrypted: text('secret_encrypted').notNull(),
    tokenEncrypted: text('token_encrypted'),
    verifyToken: text('verify_token'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('channel_accounts_workspace_idx').on(t.workspaceId, t.kind)],
);

export const callDirectionEnum = pgEnum('call_direction', ['inbound', 'outbound']);

export const callLogs = pgTable(
  'call_logs',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    accountId: uuid('account_id').references(() => channelAccounts.id, { onDelete: 'set null' }),
    direction: callDirectionEnum('direction').notNull(),
    number: text('number').notNull(),
    durationSeconds: integer('duration_seconds').notNull().default(0),
    outcome: text('outcome').notNull(),
    recordingUrl: text('recording_url'),
    notes: text('notes').notNull().default(''),
    providerCallId: text('provider_call_id'),
    startedAt: moment('started_at').notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('call_logs_provider_call_idx').on(t.workspaceId, t.providerCallId),
    index('call_logs_workspace_started_idx').on(t.workspaceId, t.startedAt),
    index('call_logs_customer_idx').on(t.customerId, t.startedAt),
    index('call_logs_ticket_idx').on(t.ticketId),
    index('call_logs_message_idx').on(t.messageId),
    index('call_logs_user_idx').on(t.userId),
    index('call_logs_account_idx').on(t.accountId),
  ],
);

export const callbackStatusEnum = pgEnum('callback_status', ['pending', 'done', 'cancelled']);

export const callbackRequests = pgTable(
  'callback_requests',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    phone: text('phone').notNull(),
    preferredAt: moment('preferred_at').notNull(),
    timeZone: text('time_zone').notNull(),
    notes: text('notes').notNull().default(''),
    status: callbackStatusEnum('status').notNull().default('pending'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('callback_requests_queue_idx').on(t.workspaceId, t.status, t.preferredAt),
    index('callback_requests_customer_idx').on(t.customerId),
    index('callback_requests_ticket_idx').on(t.ticketId),
  ],
);

/** A conversation on an outside platform (a chat id, a WhatsApp number) and the ticket it threads into. */
export const messagingThreads = pgTable(
  'messaging_threads',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => channelAccounts.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('messaging_threads_external_idx').on(t.accountId, t.externalId),
    index('messaging_threads_workspace_idx').on(t.workspaceId),
    index('messaging_threads_customer_idx').on(t.customerId),
    index('messaging_threads_ticket_idx').on(t.ticketId),
  ],
);

export const messagingDirectionEnum = pgEnum('messaging_direction', ['inbound', 'outbound']);

/**
 * Each message that crossed a platform: inbound ones deduplicated by the platform's id, outbound ones
 * queued for delivery (status pending, retried with backoff) and then tracked by the id it was given.
 */
export const messagingMessages = pgTable(
  'messaging_messages',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => channelAccounts.id, { onDelete: 'cascade' }),
    threadId: uuid('thread_id')
      .notNull()
      .references(() => messagingThreads.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    direction: messagingDirectionEnum('direction').notNull(),
    externalId: text('external_id'),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: moment('next_attempt_at').notNull().defaultNow(),
    lockedUntil: moment('locked_until'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('messaging_messages_message_idx').on(t.messageId),
    uniqueIndex('messaging_messages_external_idx').on(t.accountId, t.direction, t.externalId),
    index('messaging_messages_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index('messaging_messages_thread_idx').on(t.threadId),
    index('messaging_messages_workspace_idx').on(t.workspaceId, t.createdAt),
  ],
);
