import { and, asc, eq } from 'drizzle-orm';
import { trainingScenarios } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { isUniqueViolation } from '../platform/db/database.ts';
import { conflict, forbidden, invalid, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { builtInScenario, builtInScenarios } from './scenario-library.ts';
import { type Scenario, type ScenarioInput, scenarioSchema } from './scenario-schema.ts';

export type ScenarioEntry = { scenario: Scenario; builtIn: boolean; origin: 'builtin' | 'custom' | 'ticket' };

export function requireLead(actor: Actor) {
  if (actor.role !== 'admin') throw forbidden('Only admins (team leads) may do this');
}

function parseStored(definition: unknown): Scenario | undefined {
  const parsed = scenarioSchema.safeParse(definition);
  return parsed.success ? parsed.data : undefined;
}

/** The built-ins, then the workspace's own scenarios by key; a stored one that no longer parses is skipped. */
export async function listScenarios(db: Db, actor: Actor): Promise<ScenarioEntry[]> {
  const rows = await db
    .select()
    .from(trainingScenarios)
    .where(eq(trainingScenarios.workspaceId, actor.workspaceId))
    .orderBy(asc(trainingScenarios.key));
  const own = rows.flatMap((r) => {
    const scenario = parseStored(r.definition);
    return scenario ? [{ scenario, builtIn: false, origin: r.origin }] : [];
  });
  return [
    ...builtInScenarios.map((scenario) => ({ scenario, builtIn: true, origin: 'builtin' as const })),
    ...own,
  ];
}

/** One scenario by key, built-in or the workspace's; throws not_found. */
export async function getScenario(db: Db, actor: Actor, key: string): Promise<ScenarioEntry> {
  const builtIn = builtInScenario(key);
  if (builtIn) return { scenario: builtIn, builtIn: true, origin: 'builtin' };
  const [row] = await db
    .select()
    .from(trainingScenarios)
    .where(and(eq(trainingScenarios.workspaceId, actor.workspaceId), eq(trainingScenarios.key, key)));
  const scenario = row && parseStored(row.definition);
  if (!row || !scenario) throw notFound('Scenario');
  return { scenario, builtIn: false, origin: row.origin };
}

function validate(input: unknown): Scenario {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success)
    throw invalid(
      'The scenario is not valid',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  if (builtInScenario(parsed.data.key)) throw conflict(`"${parsed.data.key}" is a built-in scenario`);
  return parsed.data;
}

/** Saves an admin-authored scenario (validated in full); conflict when the key is taken. */
export async function createScenario(
  db: Db,
  actor: Actor,
  input: ScenarioInput,
  origin: 'custom' | 'ticket' = 'custom',
): Promise<ScenarioEntry> {
  requireLead(actor);
  const scenario = validate(input);
  try {
    await db.transaction(async (tx) => {
      await tx.insert(trainingScenarios).values({
        workspaceId: actor.workspaceId,
        key: scenario.key,
        definition: scenario,
        origin,
        createdByUserId: actor.userId,
      });
      await recordEvent(tx, {
        workspaceId: actor.workspaceId,
        type: 'training.scenario.created',
        payload: { key: scenario.key, origin, actorId: actor.userId },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A scenario with key "${scenario.key}" exists`);
    throw error;
  }
  return { scenario, builtIn: false, origin };
}

/** Replaces a custom scenario's definition; its key stays. Sessions keep the snapshot they started with. */
export async function replaceScenario(db: Db, actor: Actor, key: string, input: ScenarioInput) {
  requireLead(actor);
  const scenario = validate({ ...input, key });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(trainingScenarios)
      .set({ definition: scenario, updatedAt: new Date() })
      .where(and(eq(trainingScenarios.workspaceId, actor.workspaceId), eq(trainingScenarios.key, key)))
      .returning({ origin: trainingScenarios.origin });
    if (!row) throw notFound('Scenario');
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'training.scenario.updated',
      payload: { key, actorId: actor.userId },
    });
    return { scenario, builtIn: false, origin: row.origin };
  });
}

export async function deleteScenario(db: Db, actor: Actor, key: string): Promise<void> {
  requireLead(actor);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(trainingScenarios)
      .where(and(eq(trainingScenarios.workspaceId, actor.workspaceId), eq(trainingScenarios.key, key)))
      .returning({ id: trainingScenarios.id });
    if (!row) throw notFound('Scenario');
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'training.scenario.deleted',
      payload: { key, actorId: actor.userId },
    });
  });
}
