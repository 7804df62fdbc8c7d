import { boolean, pgEnum, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, workspaceRef } from './columns.ts';
import { workspaces } from './workspaces.ts';

export const fieldEntityEnum = pgEnum('field_entity', ['ticket', 'customer']);
export const fieldTypeEnum = pgEnum('field_type', ['text', 'number', 'boolean', 'date', 'select']);

/** Typed custom fields for tickets and customers; values live in the owner's jsonb column. */
export const customFieldDefinitions = pgTable(
  'custom_field_definitions',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    entity: fieldEntityEnum('entity').notNull(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: fieldTypeEnum('type').notNull(),
    options: text('options').array().notNull().default([]),
    required: boolean('required').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('custom_fields_unique_idx').on(t.workspaceId, t.entity, t.key)],
);

export const tags = pgTable(
  'tags',
  {
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    color: text('color'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.name] })],
);
