import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, workspaceRef } from './columns.ts';
import { customers } from './customers.ts';
import { workspaces } from './workspaces.ts';

const moment = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * Proof-of-work stamps the contact form has taken: a solved challenge counts once. Rows outlive their
 * challenge's validity only until the next submission sweeps them.
 */
export const contactFormStamps = pgTable(
  'contact_form_stamps',
  {
    stampHash: text('stamp_hash').primaryKey(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    expiresAt: moment('expires_at').notNull(),
  },
  (t) => [
    index('contact_form_stamps_expires_idx').on(t.expiresAt),
    index('contact_form_stamps_workspace_idx').on(t.workspaceId),
  ],
);

/** A one-time sign-in link of the customer portal: its sealed token names this row, used once before it expires. */
export const portalLinks = pgTable(
  'portal_links',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    expiresAt: moment('expires_at').notNull(),
    usedAt: moment('used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('portal_links_workspace_idx').on(t.workspaceId, t.createdAt),
    index('portal_links_customer_idx').on(t.customerId, t.createdAt),
  ],
);

/** A signed-in customer's portal session; only the token's hash is kept. Never an agent's session. */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    expiresAt: moment('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('portal_sessions_customer_idx').on(t.customerId),
    index('portal_sessions_workspace_idx').on(t.workspaceId),
    index('portal_sessions_expires_idx').on(t.expiresAt),
  ],
);
