import { index, jsonb, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, workspaceRef } from './columns.ts';
import { messages } from './tickets.ts';
import { users } from './users.ts';
import { workspaces } from './workspaces.ts';

/** A workspace's own reply-coach rules and phrase lists; no row means the English defaults. */
export const intelCoachRules = pgTable('intel_coach_rules', {
  workspaceId: workspaceRef()
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  rules: jsonb('rules').$type<Record<string, unknown>>().notNull(),
  updatedByUserId: uuid('updated_by_user_id').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

/** The detected language of a customer message ('und' when too short or unclear to tell). */
export const intelMessageLanguages = pgTable(
  'intel_message_languages',
  {
    messageId: uuid('message_id')
      .primaryKey()
      .references(() => messages.id, { onDelete: 'cascade' }),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    language: text('language').notNull(),
    confidence: real('confidence').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('intel_message_languages_workspace_idx').on(t.workspaceId)],
);
