import { type SQL, sql } from 'drizzle-orm';
import { makePgArray } from 'drizzle-orm/pg-core';
import type { Db } from '../platform/db/database.ts';
import { type PreparedStatement, preparedStatement } from '../platform/db/prepared.ts';
import { invalid } from '../platform/errors.ts';
import { type CustomerRef, identitiesOf, nameFromEmail } from './identities.ts';

const p = sql.placeholder;

/**
 * What a reference asks of the upsert: the identities it names, its primary email, the name it gives
 * (which a known customer without one takes) and the name a new customer gets. Throws without identity.
 */
export function customerWanted(ref: CustomerRef) {
  const wanted = identitiesOf(ref);
  if (wanted.length === 0) throw invalid('A customer needs an email, phone, external id or visitor id');
  const email = wanted.find((identity) => identity.kind === 'email')?.value ?? null;
  const rename = ref.name?.trim() || null;
  return { wanted, email, rename, newName: rename ?? (email ? nameFromEmail(email) : '') };
}

/** Which entries customerUpsertCtes writes for this reference, and the values of its placeholders. */
export function customerUpsertPlan(ref: CustomerRef) {
  const { wanted, email, rename, newName } = customerWanted(ref);
  return {
    shape: { several: wanted.length > 1, named: rename !== null },
    values: {
      customer_kinds: makePgArray(wanted.map((identity) => identity.kind)),
      customer_values: makePgArray(wanted.map((identity) => identity.value)),
      customer_count: wanted.length,
      customer_name: newName,
      customer_rename: rename,
      customer_email: email,
    },
  };
}

export type CustomerUpsertShape = ReturnType<typeof customerUpsertPlan>['shape'];

/**
 * WITH-clause entries that find the customer one of the wanted identities belongs to, or create one, and
 * end in `customer (id, name, email)`: one row, the name and primary email as a read after commit would
 * see them. Writes happen only where `when` holds, so a caller can refuse the whole statement.
 * Placeholders: `workspace_id` and those of customerUpsertPlan.
 *
 * A new customer's identities are inserted without ON CONFLICT: if another request claims one of them
 * first, the statement fails with a unique violation on customer_identities (see isIdentityRace) and
 * leaves nothing behind; running it again finds the winner's customer.
 */
export function customerUpsertCtes(shape: CustomerUpsertShape, when: SQL): SQL {
  const workspaceId = sql`${p('workspace_id')}::uuid`;
  const wantedRows = sql`unnest(${p('customer_kinds')}::identity_kind[], ${p('customer_values')}::text[])
    AS wanted (kind, value)`;
  const ctes: SQL[] = [
    // LATERAL keeps one index probe per wanted identity even in a generic (prepared) plan, which would
    // otherwise scan the workspace's identities and hash-join them.
    sql`found AS (
      SELECT hit.customer_id AS id FROM ${wantedRows}
      CROSS JOIN LATERAL (
        SELECT ci.customer_id, ci.created_at FROM customer_identities ci
        WHERE ci.workspace_id = ${workspaceId} AND ci.kind = wanted.kind AND ci.value = wanted.value
        LIMIT 1
      ) AS hit
      ORDER BY hit.created_at LIMIT 1
    )`,
    sql`created AS (
      INSERT INTO customers (workspace_id, name)
      SELECT ${workspaceId}, ${p('customer_name')}::text WHERE NOT EXISTS (SELECT 1 FROM found) AND ${when}
      RETURNING id, name
    )`,
    sql`claimed AS (
      INSERT INTO customer_identities (workspace_id, customer_id, kind, value)
      SELECT ${workspaceId}, created.id, wanted.kind, wanted.value FROM created, ${wantedRows}
      RETURNING 1
    )`,
  ];
  // A known customer gains the identities it lacks, unless they belong to someone else.
  if (shape.several)
    ctes.push(sql`attached AS (
      INSERT INTO customer_identities (workspace_id, customer_id, kind, value)
      SELECT ${workspaceId}, found.id, wanted.kind, wanted.value FROM found, ${wantedRows} WHERE ${when}
      ON CONFLICT DO NOTHING
      RETURNING kind, value
    )`);
  // A known customer without a name takes the one given now.
  if (shape.named)
    ctes.push(sql`renamed AS (
      UPDATE customers SET name = ${p('customer_rename')}::text
      WHERE id = (SELECT id FROM found) AND name = '' AND ${when}
      RETURNING name
    )`);
  const primaryEmail = sql`(SELECT ci.value FROM customer_identities ci
    WHERE ci.customer_id = found.id AND ci.kind = 'email' ORDER BY ci.created_at LIMIT 1)`;
  ctes.push(sql`customer AS (
    SELECT found.id,
      ${shape.named ? sql`coalesce((SELECT name FROM renamed), c.name)` : sql`c.name`} AS name,
      ${shape.several ? sql`coalesce(${primaryEmail}, (SELECT value FROM attached WHERE kind = 'email'))` : primaryEmail} AS email
    FROM found JOIN customers c ON c.id = found.id
    UNION ALL
    SELECT created.id, created.name, ${p('customer_email')}::text FROM created
    -- Reads the claim so that a lost race always surfaces as the unique violation.
    WHERE (SELECT count(*) FROM claimed) = ${p('customer_count')}::int
  )`);
  return sql.join(ctes, sql`, `);
}

/** `customer (id, name, email)` for a customer known by id (merges followed): placeholder `customer_id`. */
export function knownCustomerCte(): SQL {
  return sql`customer AS (
    SELECT c.id, c.name, (SELECT ci.value FROM customer_identities ci
      WHERE ci.customer_id = c.id AND ci.kind = 'email' ORDER BY ci.created_at LIMIT 1) AS email
    FROM customers c WHERE c.id = ${p('customer_id')}::uuid
  )`;
}

/** True when a statement from customerUpsertCtes lost the race for a new customer's identity. */
export function isIdentityRace(error: unknown): boolean {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    const { code, constraint } = current as { code?: string; constraint?: string };
    if (code === '23505' && constraint === 'customer_identities_unique_idx') return true;
  }
  return false;
}

const upsertStatements = new Map<string, PreparedStatement>();

/** customerUpsertCtes on its own: resolves to the customer's id. Rejects as customerUpsertCtes says. */
export async function runCustomerUpsert(db: Db, workspaceId: string, ref: CustomerRef): Promise<string> {
  const plan = customerUpsertPlan(ref);
  const key = JSON.stringify(plan.shape);
  let statement = upsertStatements.get(key);
  if (!statement) {
    statement = preparedStatement(
      sql`WITH ${customerUpsertCtes(plan.shape, sql`true`)} SELECT id FROM customer`,
    );
    upsertStatements.set(key, statement);
  }
  const [row] = await statement.rows<{ id: string }>(db, { ...plan.values, workspace_id: workspaceId });
  return row!.id;
}
