import { and, asc, eq } from 'drizzle-orm';
import { customFieldDefinitions } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { conflict, type FieldIssue, invalid, notFound } from '../platform/errors.ts';

export type FieldEntity = 'ticket' | 'customer';
export type FieldType = 'text' | 'number' | 'boolean' | 'date' | 'select';
export type FieldDefinition = typeof customFieldDefinitions.$inferSelect;

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function checkValue(definition: FieldDefinition, value: unknown): string | undefined {
  switch (definition.type) {
    case 'text':
      return typeof value === 'string' && value.length <= 10_000 ? undefined : 'must be text';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'date':
      return typeof value === 'string' && isoDate.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : 'must be a date like 2026-01-31';
    case 'select':
      return typeof value === 'string' && definition.options.includes(value)
        ? undefined
        : `must be one of ${definition.options.join(', ')}`;
  }
}

/**
 * Checks values against the workspace's definitions for the entity: unknown keys and wrong types are
 * refused, null removes a value, required fields must stay set. Returns the cleaned values.
 */
export async function validateCustomFields(
  db: Db,
  workspaceId: string,
  entity: FieldEntity,
  values: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const definitions = await db
    .select()
    .from(customFieldDefinitions)
    .where(
      and(eq(customFieldDefinitions.workspaceId, workspaceId), eq(customFieldDefinitions.entity, entity)),
    );
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const issues: FieldIssue[] = [];
  const cleaned: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const definition = byKey.get(key);
    if (!definition) {
      issues.push({ path: `customFields.${key}`, message: 'is not a defined field' });
      continue;
    }
    if (value === null) continue;
    const problem = checkValue(definition, value);
    if (problem) issues.push({ path: `customFields.${key}`, message: problem });
    else cleaned[key] = value;
  }
  if (issues.length) throw invalid('Some custom fields are not valid', issues);
  return cleaned;
}

/** Required fields are enforced on create only where the definition says so. */
export async function missingRequiredFields(
  db: Db,
  workspaceId: string,
  entity: FieldEntity,
  values: Record<string, unknown>,
) {
  const definitions = await db
    .select({ key: customFieldDefinitions.key })
    .from(customFieldDefinitions)
    .where(
      and(
        eq(customFieldDefinitions.workspaceId, workspaceId),
        eq(customFieldDefinitions.entity, entity),
        eq(customFieldDefinitions.required, true),
      ),
    );
  return definitions.map((d) => d.key).filter((key) => values[key] === undefined);
}

export async function listFields(db: Db, actor: Actor, entity?: FieldEntity) {
  return db
    .select()
    .from(customFieldDefinitions)
    .where(
      and(
        eq(customFieldDefinitions.workspaceId, actor.workspaceId),
        entity ? eq(customFieldDefinitions.entity, entity) : undefined,
      ),
    )
    .orderBy(asc(customFieldDefinitions.entity), asc(customFieldDefinitions.key));
}

export type FieldInput = {
  entity: FieldEntity;
  key: string;
  label: string;
  type: FieldType;
  options?: string[] | undefined;
  required?: boolean | undefined;
};

export async function createField(db: Db, actor: Actor, input: FieldInput): Promise<FieldDefinition> {
  if (input.type === 'select' && !input.options?.length) throw invalid('A select field needs options');
  const [row] = await db
    .insert(customFieldDefinitions)
    .values({
      ...input,
      options: input.options ?? [],
      required: input.required ?? false,
      workspaceId: actor.workspaceId,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict(`A ${input.entity} field with the key ${input.key} exists`);
  return row;
}

export async function updateField(
  db: Db,
  actor: Actor,
  id: string,
  patch: { label?: string | undefined; options?: string[] | undefined; required?: boolean | undefined },
): Promise<FieldDefinition> {
  if (Object.values(patch).every((value) => value === undefined)) throw invalid('Nothing to change');
  const [row] = await db
    .update(customFieldDefinitions)
    .set(patch)
    .where(and(eq(customFieldDefinitions.id, id), eq(customFieldDefinitions.workspaceId, actor.workspaceId)))
    .returning();
  if (!row) throw notFound('Field');
  return row;
}

export async function deleteField(db: Db, actor: Actor, id: string): Promise<void> {
  const deleted = await db
    .delete(customFieldDefinitions)
    .where(and(eq(customFieldDefinitions.id, id), eq(customFieldDefinitions.workspaceId, actor.workspaceId)))
    .returning({ id: customFieldDefinitions.id });
  if (deleted.length === 0) throw notFound('Field');
}
