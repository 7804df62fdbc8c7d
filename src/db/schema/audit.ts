import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, workspaceRef } from './columns.ts';
import { users } from './users.ts';
import { workspaces } from './workspaces.ts';

/** Every change an admin made through the API: who, what route, on which record, with what outcome. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    method: text('method').notNull(),
    route: text('route').notNull(),
    targetId: text('target_id'),
    status: integer('status').notNull(),
    requestId: text('request_id').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_log_workspace_idx').on(t.workspaceId, t.createdAt.desc(), t.id.desc()),
    index('audit_log_actor_idx').on(t.actorUserId),
  ],
);
