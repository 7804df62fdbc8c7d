import { customType, timestamp, uuid } from 'drizzle-orm/pg-core';

/** PostgreSQL full-text vector; only ever written by generated columns. */
export const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
});

export const id = () => uuid('id').primaryKey().defaultRandom();
export const createdAt = () =>
  timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();
export const workspaceRef = () => uuid('workspace_id').notNull();
