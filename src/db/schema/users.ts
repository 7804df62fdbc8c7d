import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, workspaceRef } from './columns.ts';
import { workspaces } from './workspaces.ts';

export const roleEnum = pgEnum('user_role', ['admin', 'agent', 'light']);

/** A person who signs in; email is stored lower-cased and is unique across the install. */
export const users = pgTable('users', {
  id: id(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
  disabledAt: timestamp('disabled_at', { withTimezone: true, precision: 3 }),
});

/** A user's role in one workspace: one install serves several isolated workspaces. */
export const memberships = pgTable(
  'memberships',
  {
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: roleEnum('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    index('sessions_user_idx').on(t.userId),
    index('sessions_workspace_idx').on(t.workspaceId),
    index('sessions_expires_idx').on(t.expiresAt),
  ],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, precision: 3 }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [index('api_tokens_workspace_idx').on(t.workspaceId), index('api_tokens_user_idx').on(t.userId)],
);

/**
 * Failed sign-ins per email, known or not (so a lockout says nothing about which accounts exist).
 * A success deletes the row.
 */
export const loginThrottle = pgTable('login_throttle', {
  email: text('email').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true, precision: 3 }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true, precision: 3 }),
});
