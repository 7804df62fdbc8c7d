import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceRef } from './columns.ts';
import { teams } from './teams.ts';
import { messages, tickets } from './tickets.ts';
import { users } from './users.ts';
import { workspaces } from './workspaces.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * An address customers write to. Stored lower-cased and unique across the install, since the SMTP
 * server decides the workspace from the recipient alone.
 */
export const emailAddresses = pgTable(
  'email_addresses',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    address: text('address').notNull().unique(),
    // The brand shown in "Agent Name (Brand)"; the workspace name when empty.
    displayName: text('display_name').notNull().default(''),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    // Replies go out from this address when a ticket came in through no other.
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index('email_addresses_workspace_idx').on(t.workspaceId),
    index('email_addresses_team_idx').on(t.teamId),
  ],
);

/** The SMTP relay a workspace's outbound mail goes through; the password is sealed with the secret key. */
export const emailRelays = pgTable('email_relays', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  host: text('host').notNull(),
  port: integer('port').notNull(),
  // true: TLS from the first byte (465); false: STARTTLS when offered.
  secure: boolean('secure').notNull().default(false),
  username: text('username'),
  passwordEncrypted: text('password_encrypted'),
  updatedAt: updatedAt(),
});

/** An existing mailbox Rapport polls over IMAP, feeding the same pipeline as the SMTP server. */
export const emailMailboxes = pgTable(
  'email_mailboxes',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    host: text('host').notNull(),
    port: integer('port').notNull(),
    secure: boolean('secure').notNull().default(true),
    username: text('username').notNull(),
    passwordEncrypted: text('password_encrypted').notNull(),
    folder: text('folder').notNull().default('INBOX'),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    active: boolean('active').notNull().default(true),
    // The last UID taken in, valid for uidValidity; a changed UIDVALIDITY starts the folder over.
    uidValidity: bigint('uid_validity', { mode: 'number' }),
    lastUid: bigint('last_uid', { mode: 'number' }).notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, precision: 3 }),
    lastPolledAt: timestamp('last_polled_at', { withTimezone: true, precision: 3 }),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [
    index('email_mailboxes_workspace_idx').on(t.workspaceId),
    index('email_mailboxes_team_idx').on(t.teamId),
  ],
);

export const inboundStatusEnum = pgEnum('inbound_email_status', ['stored', 'bounce', 'quarantined']);
export const inboundSourceEnum = pgEnum('inbound_email_source', ['smtp', 'imap', 'api']);

/**
 * Every message taken in, with its raw source kept in full (in the same transaction as the ticket
 * message, so a 250 means both are stored). Quarantined ones carry the reason.
 */
export const inboundEmails = pgTable(
  'inbound_emails',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    status: inboundStatusEnum('status').notNull(),
    source: inboundSourceEnum('source').notNull(),
    messageIdHeader: text('message_id_header'),
    fromAddress: text('from_address'),
    recipients: text('recipients').array().notNull().default(sql`'{}'::text[]`),
    subject: text('subject'),
    size: integer('size').notNull(),
    raw: bytea('raw').notNull(),
    reason: text('reason'),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    // A bounce points at the message that bounced.
    outboundEmailId: uuid('outbound_email_id').references(() => outboundEmails.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('inbound_emails_workspace_status_idx').on(t.workspaceId, t.status, t.createdAt),
    index('inbound_emails_sender_idx').on(t.workspaceId, t.fromAddress, t.createdAt),
    index('inbound_emails_ticket_idx').on(t.ticketId),
    index('inbound_emails_message_idx').on(t.messageId),
    index('inbound_emails_outbound_idx').on(t.outboundEmailId),
  ],
);

export const emailDirectionEnum = pgEnum('email_direction', ['inbound', 'outbound']);

/**
 * Every Message-ID Rapport has seen or sent, pointing at its ticket: threading follows In-Reply-To and
 * References through it, and the primary key makes a redelivered message a duplicate.
 */
export const emailMessageIds = pgTable(
  'email_message_ids',
  {
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    messageIdHeader: text('message_id_header').notNull(),
    direction: emailDirectionEnum('direction').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.messageIdHeader] }),
    index('email_message_ids_ticket_idx').on(t.ticketId),
    index('email_message_ids_message_idx').on(t.messageId),
  ],
);

export const outboundStatusEnum = pgEnum('outbound_email_status', ['queued', 'sent', 'failed', 'bounced']);
export const outboundKindEnum = pgEnum('outbound_email_kind', ['reply', 'notification']);

/**
 * Mail waiting to go out or gone, with its retry state on the row. `dedupeKey` is unique per workspace
 * (a reply's message id, a notification's event), so one reply is never queued twice.
 */
export const outboundEmails = pgTable(
  'outbound_emails',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    kind: outboundKindEnum('kind').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    messageIdHeader: text('message_id_header').notNull(),
    fromAddress: text('from_address').notNull(),
    fromName: text('from_name').notNull(),
    toAddresses: text('to_addresses').array().notNull(),
    ccAddresses: text('cc_addresses').array().notNull().default(sql`'{}'::text[]`),
    subject: text('subject').notNull(),
    inReplyTo: text('in_reply_to'),
    references: text('references').array().notNull().default(sql`'{}'::text[]`),
    bodyText: text('body_text').notNull(),
    bodyHtml: text('body_html'),
    status: outboundStatusEnum('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true, precision: 3 }),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true, precision: 3 }),
    bouncedAt: timestamp('bounced_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('outbound_emails_dedupe_idx').on(t.workspaceId, t.dedupeKey),
    index('outbound_emails_due_idx').on(t.nextAttemptAt).where(sql`status = 'queued'`),
    index('outbound_emails_ticket_idx').on(t.ticketId),
    index('outbound_emails_message_idx').on(t.messageId),
    index('outbound_emails_header_idx').on(t.messageIdHeader),
  ],
);

/** Per-workspace tallies of the email pipeline, kept in the same transaction as each message. */
export const emailCounters = pgTable('email_counters', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  received: bigint('received', { mode: 'number' }).notNull().default(0),
  stored: bigint('stored', { mode: 'number' }).notNull().default(0),
  duplicates: bigint('duplicates', { mode: 'number' }).notNull().default(0),
  quarantined: bigint('quarantined', { mode: 'number' }).notNull().default(0),
});

/** Which agents want email about their work, per workspace. */
export const emailNotificationPrefs = pgTable(
  'email_notification_prefs',
  {
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ticketAssigned: boolean('ticket_assigned').notNull().default(false),
    customerReplied: boolean('customer_replied').notNull().default(false),
    /** Admins get the Monday summary unless they turn it off. */
    weeklySummary: boolean('weekly_summary').notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.userId] }),
    index('email_notification_prefs_user_idx').on(t.userId),
  ],
);
