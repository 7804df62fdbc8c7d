import { pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, workspaceRef } from './columns.ts';
import { workspaces } from './workspaces.ts';

/** What an import created from which record of the source product: re-runs skip what is listed. */
export const importSources = pgTable(
  'import_sources',
  {
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
    kind: text('kind').notNull(),
    sourceId: text('source_id').notNull(),
    targetId: uuid('target_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.source, t.kind, t.sourceId] })],
);
