import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { intelTriageFeedback, intelTriageModels, type TriageSource } from '../db/schema/index.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { type SerializedClassifier, TriageClassifier } from './triage-classifier.ts';
import { categoryOf, readTriageSettings } from './triage-settings.ts';

/** Most recent labelled tickets a training reads: enough to learn from, bounded in time and memory. */
const MAX_ROWS = 20_000;
const MIN_ROWS = 10;
/** Corrections beyond this share of the trained rows call for a training from scratch. */
const RETRAIN_SHARE = 0.1;

type LoadedModel = { version: number; classifier: TriageClassifier };
// Deserialising a large model costs far more than predicting: keep the latest few per process.
const cache = new Map<string, LoadedModel>();
const CACHE_SIZE = 16;

/** The text triage reads of a ticket: its subject and its first customer message. */
export const triageText = (subject: string, body: string | null | undefined) =>
  `${subject}\n${body ?? ''}`.trim();

type LabelledRow = { subject: string; body: string | null; custom_fields: unknown; tags: string[] };

/**
 * Labelled tickets of the workspace under its label source, newest first. Categories triage set by
 * itself that no agent confirmed are left out, so the model never learns from its own guesses.
 */
export async function labelledTickets(db: Db, workspaceId: string, source: TriageSource) {
  const has =
    source.kind === 'field'
      ? sql`coalesce(t.custom_fields ->> ${source.key}, '') <> ''`
      : sql`EXISTS (SELECT 1 FROM unnest(t.tags) tag WHERE tag LIKE ${`${source.prefix.replace(/[\\%_]/g, '\\$&')}_%`})`;
  const rows = await queryRows<LabelledRow>(
    db,
    sql`SELECT t.subject, t.custom_fields, t.tags,
          (SELECT m.body_text FROM messages m
            WHERE m.ticket_id = t.id AND m.workspace_id = t.workspace_id AND m.kind = 'customer_message'
            ORDER BY m.created_at, m.id LIMIT 1) AS body
        FROM tickets t
        LEFT JOIN intel_triage_suggestions s ON s.ticket_id = t.id AND s.workspace_id = t.workspace_id
       WHERE t.workspace_id = ${workspaceId} AND t.merged_into_id IS NULL AND ${has}
         AND (s.state IS NULL OR s.state <> 'applied')
       ORDER BY t.created_at DESC
       LIMIT ${MAX_ROWS}`,
  );
  return rows.flatMap((row) => {
    const label = categoryOf(source, {
      customFields: (row.custom_fields ?? {}) as Record<string, unknown>,
      tags: row.tags,
    });
    return label ? [{ text: triageText(row.subject, row.body), label }] : [];
  });
}

export type TrainingResult =
  | { trained: true; rows: number; labels: number; holdoutAccuracy: number | null; seconds: number }
  | { trained: false; reason: string };

function holdoutAccuracy(rows: { text: string; label: string }[]): number | null {
  if (rows.length < 50) return null;
  // Every fifth row held out: deterministic, and spread over time as rows are newest first.
  const test = rows.filter((_, i) => i % 5 === 0);
  const train = rows.filter((_, i) => i % 5 !== 0);
  const model = TriageClassifier.train(train);
  const right = test.filter((row) => model.predict(row.text, 0).label === row.label).length;
  return Math.round((right / test.length) * 10_000) / 10_000;
}

async function storeModel(
  db: Db,
  workspaceId: string,
  classifier: TriageClassifier,
  values: { trainedRows?: number; holdoutAccuracy?: number | null; trainSeconds?: number; learned?: number },
) {
  const model = JSON.stringify(classifier.serialize());
  const [row] = await db
    .insert(intelTriageModels)
    .values({
      workspaceId,
      model,
      labels: classifier.labels,
      trainedRows: values.trainedRows ?? 0,
      holdoutAccuracy: values.holdoutAccuracy ?? null,
      trainSeconds: values.trainSeconds ?? 0,
      trainedAt: new Date(),
    })
    .onConflictDoUpdate({
      target: intelTriageModels.workspaceId,
      set:
        values.learned === undefined
          ? {
              model,
              labels: classifier.labels,
              trainedRows: values.trainedRows ?? 0,
              holdoutAccuracy: values.holdoutAccuracy ?? null,
              trainSeconds: values.trainSeconds ?? 0,
              learnedCorrections: 0,
              trainedAt: new Date(),
              version: sql`${intelTriageModels.version} + 1`,
              updatedAt: new Date(),
            }
          : {
              model,
              labels: classifier.labels,
              learnedCorrections: sql`${intelTriageModels.learnedCorrections} + ${values.learned}`,
              version: sql`${intelTriageModels.version} + 1`,
              updatedAt: new Date(),
            },
    })
    .returning({ version: intelTriageModels.version });
  cache.delete(workspaceId);
  return row!.version;
}

/** Trains the workspace's model from scratch on its labelled tickets; corrections so far count as learnt. */
export async function trainFull(db: Db, workspaceId: string): Promise<TrainingResult> {
  const settings = await readTriageSettings(db, workspaceId);
  if (!settings) return { trained: false, reason: 'triage is not set up' };
  const rows = await labelledTickets(db, workspaceId, settings.source);
  const labels = new Set(rows.map((row) => row.label)).size;
  if (rows.length < MIN_ROWS || labels < 2)
    return {
      trained: false,
      reason: `needs at least ${MIN_ROWS} labelled tickets in 2 categories (has ${rows.length} in ${labels})`,
    };
  const started = performance.now();
  const accuracy = holdoutAccuracy(rows);
  const classifier = TriageClassifier.train(rows);
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  await db.transaction(async (tx) => {
    await storeModel(tx, workspaceId, classifier, {
      trainedRows: rows.length,
      holdoutAccuracy: accuracy,
      trainSeconds: seconds,
    });
    await tx
      .update(intelTriageFeedback)
      .set({ learnedAt: new Date() })
      .where(and(eq(intelTriageFeedback.workspaceId, workspaceId), isNull(intelTriageFeedback.learnedAt)));
  });
  return { trained: true, rows: rows.length, labels, holdoutAccuracy: accuracy, seconds };
}

/**
 * Learns the corrections agents made since the model last learnt, one margin step each, without a
 * full training; once they pass a tenth of the trained rows it trains from scratch instead.
 */
export async function learnCorrections(db: Db, workspaceId: string): Promise<TrainingResult> {
  const [stored] = await db
    .select()
    .from(intelTriageModels)
    .where(eq(intelTriageModels.workspaceId, workspaceId));
  if (!stored) return trainFull(db, workspaceId);
  const pending = await db
    .select({
      id: intelTriageFeedback.id,
      text: intelTriageFeedback.text,
      category: intelTriageFeedback.category,
    })
    .from(intelTriageFeedback)
    .where(and(eq(intelTriageFeedback.workspaceId, workspaceId), isNull(intelTriageFeedback.learnedAt)))
    .orderBy(asc(intelTriageFeedback.createdAt));
  if (pending.length === 0) return { trained: false, reason: 'no new corrections' };
  if (stored.learnedCorrections + pending.length > RETRAIN_SHARE * stored.trainedRows)
    return trainFull(db, workspaceId);
  const started = performance.now();
  const classifier = TriageClassifier.deserialize(JSON.parse(stored.model) as SerializedClassifier);
  for (const row of pending) classifier.learn(row.text, row.category);
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  await db.transaction(async (tx) => {
    await storeModel(tx, workspaceId, classifier, { learned: pending.length });
    for (const row of pending)
      await tx
        .update(intelTriageFeedback)
        .set({ learnedAt: new Date() })
        .where(eq(intelTriageFeedback.id, row.id));
  });
  return {
    trained: true,
    rows: pending.length,
    labels: classifier.labels.length,
    holdoutAccuracy: stored.holdoutAccuracy,
    seconds,
  };
}

/** The workspace's current model, from this process's cache while its version is current. */
export async function loadModel(db: Db, workspaceId: string): Promise<LoadedModel | null> {
  const [head] = await db
    .select({ version: intelTriageModels.version })
    .from(intelTriageModels)
    .where(eq(intelTriageModels.workspaceId, workspaceId));
  if (!head) return null;
  const cached = cache.get(workspaceId);
  if (cached?.version === head.version) return cached;
  const [row] = await db
    .select({ version: intelTriageModels.version, model: intelTriageModels.model })
    .from(intelTriageModels)
    .where(eq(intelTriageModels.workspaceId, workspaceId));
  if (!row) return null;
  const loaded = {
    version: row.version,
    classifier: TriageClassifier.deserialize(JSON.parse(row.model) as SerializedClassifier),
  };
  cache.delete(workspaceId);
  cache.set(workspaceId, loaded);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return loaded;
}
