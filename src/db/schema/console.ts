import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceRef } from './columns.ts';
import { messages } from './tickets.ts';
import { users } from './users.ts';
import { workspaces } from './workspaces.ts';

/** Reusable replies; `{{customer.first_name}}`-style placeholders are filled in when used. */
export const cannedResponses = pgTable(
  'canned_responses',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    shortcut: text('shortcut'),
    // Null: shared with the workspace; else only its owner sees it.
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'cascade' }),
    usageCount: integer('usage_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('canned_responses_workspace_idx').on(t.workspaceId, t.title),
    index('canned_responses_owner_idx').on(t.ownerId),
  ],
);

/** A named set of ticket filters, personal or shared, shown in the inbox sidebar with a live count. */
export const savedViews = pgTable(
  'saved_views',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    filters: jsonb('filters').$type<Record<string, unknown>>().notNull().default({}),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'cascade' }),
    shared: boolean('shared').notNull().default(false),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index('saved_views_workspace_idx').on(t.workspaceId, t.position),
    index('saved_views_owner_idx').on(t.ownerId),
  ],
);

/** Uploaded files, stored by key in the storage backend; linked to a message once it is sent. */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    storageKey: text('storage_key').notNull(),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    // Inline parts (e-mail cid: images) are shown in the body, not listed as files.
    contentId: text('content_id'),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('attachments_workspace_idx').on(t.workspaceId, t.createdAt),
    index('attachments_message_idx').on(t.messageId),
    index('attachments_uploaded_by_idx').on(t.uploadedBy),
    index('attachments_unlinked_idx').on(t.createdAt).where(sql`message_id IS NULL`),
  ],
);
