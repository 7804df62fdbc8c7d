import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceRef } from './columns.ts';
import { workspaces } from './workspaces.ts';

export const companies = pgTable(
  'companies',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    domain: text('domain'),
    notes: text('notes').notNull().default(''),
    customAttributes: jsonb('custom_attributes').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('companies_workspace_name_idx').on(t.workspaceId, t.name),
    index('companies_workspace_domain_idx').on(t.workspaceId, t.domain),
  ],
);

export const customers = pgTable(
  'customers',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull().default(''),
    companyId: uuid('company_id').references(() => companies.id, { onDelete: 'set null' }),
    language: text('language'),
    timeZone: text('time_zone'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    customAttributes: jsonb('custom_attributes').$type<Record<string, unknown>>().notNull().default({}),
    notes: text('notes').notNull().default(''),
    /** A service level such as "vip"; free text so each workspace names its own tiers. */
    tier: text('tier'),
    // Service messages (a late shipment) are on unless the customer opts out; marketing needs a yes.
    consentMarketing: boolean('consent_marketing').notNull().default(false),
    consentProactive: boolean('consent_proactive').notNull().default(true),
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => customers.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('customers_workspace_created_idx').on(t.workspaceId, t.createdAt, t.id),
    index('customers_company_idx').on(t.companyId),
    index('customers_merged_into_idx').on(t.mergedIntoId),
    index('customers_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    index('customers_tags_idx').using('gin', t.tags),
  ],
);

export const identityKindEnum = pgEnum('identity_kind', ['email', 'phone', 'external_id', 'visitor_id']);

/** How a customer is recognised on a channel; value is normalised (emails lower-cased, phones E.164-ish). */
export const customerIdentities = pgTable(
  'customer_identities',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    kind: identityKindEnum('kind').notNull(),
    value: text('value').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('customer_identities_unique_idx').on(t.workspaceId, t.kind, t.value),
    index('customer_identities_customer_idx').on(t.customerId),
    index('customer_identities_value_trgm_idx').using('gin', t.value.op('gin_trgm_ops')),
  ],
);
