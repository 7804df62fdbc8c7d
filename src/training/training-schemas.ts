import { z } from 'zod';
import type { AssignmentRow, CommentRow } from './assignment-service.ts';
import { moves, type Scenario, scenarioSchema, states } from './scenario-schema.ts';
import type { ScenarioEntry } from './scenario-service.ts';
import { dimensions } from './scorecard.ts';
import type { SessionRow } from './training-service.ts';

export const keyParams = z.strictObject({ key: z.string().min(1).max(60) });
export const idParams = z.strictObject({ id: z.uuid() });

/** What an agent may see of a scenario before practising: no hidden facts, solutions or script. */
export const scenarioSummarySchema = z.object({
  key: z.string(),
  title: z.string(),
  category: z.string(),
  difficulty: z.enum(['easy', 'medium', 'hard']),
  persona: z.object({ name: z.string(), mood: z.number(), patience: z.number(), style: z.string() }),
  situation: z.string(),
  builtIn: z.boolean(),
  origin: z.enum(['builtin', 'custom', 'ticket']),
});
export const scenarioDetailSchema = scenarioSummarySchema.extend({
  /** The full definition, for admins only. */
  definition: z.unknown().optional(),
});

export const presentScenario = (entry: ScenarioEntry, withDefinition = false) => {
  const { scenario: s } = entry;
  return {
    key: s.key,
    title: s.title,
    category: s.category,
    difficulty: s.difficulty,
    persona: s.persona,
    situation: s.situation,
    builtIn: entry.builtIn,
    origin: entry.origin,
    ...(withDefinition && { definition: s }),
  };
};

/** Admin-authored scenarios: the engine's schema itself (checked again in the service for a clear problem body). */
export const scenarioBody = z.record(z.string(), z.unknown());
export { scenarioSchema };

const quoteSchema = z.object({ text: z.string(), note: z.string(), better: z.string().optional() });
const dimensionSchema = z.object({ score: z.number(), summary: z.string(), quotes: z.array(quoteSchema) });
export const scorecardSchema = z.object({
  outcome: z.enum(['passed', 'failed']),
  reason: z.string(),
  overall: z.number(),
  dimensions: z.object(
    Object.fromEntries(dimensions.map((d) => [d, dimensionSchema])) as Record<
      (typeof dimensions)[number],
      typeof dimensionSchema
    >,
  ),
});

const entrySchema = z.object({
  role: z.enum(['customer', 'agent']),
  text: z.string(),
  at: z.string(),
  moves: z.array(z.enum(moves)).optional(),
  mood: z.number().optional(),
});

export const sessionSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  scenarioKey: z.string(),
  title: z.string(),
  customerName: z.string(),
  situation: z.string(),
  status: z.enum(['active', 'passed', 'failed']),
  state: z.enum(states),
  mood: z.number(),
  seed: z.number(),
  assignmentId: z.string().nullable(),
  transcript: z.array(entrySchema),
  score: z.number().nullable(),
  scorecard: scorecardSchema.nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export function presentSession(row: SessionRow): z.infer<typeof sessionSchema> {
  const scenario = row.scenario as Scenario;
  const engine = row.engine as { state: (typeof states)[number]; mood: number };
  return {
    id: row.id,
    agentId: row.agentId,
    scenarioKey: row.scenarioKey,
    title: scenario.title,
    customerName: scenario.persona.name,
    situation: scenario.situation,
    status: row.status,
    state: engine.state,
    mood: engine.mood,
    seed: row.seed,
    assignmentId: row.assignmentId,
    transcript: row.transcript as z.infer<typeof entrySchema>[],
    score: row.score,
    scorecard: (row.scorecard as z.infer<typeof scorecardSchema> | null) ?? null,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** History rows: the score without the transcript. */
export const historyItemSchema = sessionSchema.pick({
  id: true,
  agentId: true,
  scenarioKey: true,
  title: true,
  status: true,
  score: true,
  startedAt: true,
  finishedAt: true,
});

export const startBody = z.strictObject({
  scenarioKey: z.string().min(1).max(60),
  seed: z.number().int().min(0).max(2_147_483_646).optional(),
  assignmentId: z.uuid().optional(),
});
export const replyBody = z.strictObject({ text: z.string().trim().min(1).max(5000) });
export const replySchema = z.object({
  customer: z.string(),
  moves: z.array(z.enum(moves)),
  mood: z.number(),
  ended: z.boolean(),
  session: sessionSchema,
});
export const historyQuery = z.strictObject({
  agent_id: z.uuid().optional(),
  scenario_key: z.string().max(60).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const assignmentBody = z.strictObject({
  scenarioKey: z.string().min(1).max(60),
  agentId: z.uuid(),
  note: z.string().max(2000).optional(),
  dueAt: z.iso.datetime({ offset: true }).optional(),
});
export const assignmentSchema = z.object({
  id: z.string(),
  scenarioKey: z.string(),
  agentId: z.string(),
  assignedByUserId: z.string().nullable(),
  note: z.string(),
  dueAt: z.string().nullable(),
  completedSessionId: z.string().nullable(),
  createdAt: z.string(),
});
export const presentAssignment = (row: AssignmentRow): z.infer<typeof assignmentSchema> => ({
  id: row.id,
  scenarioKey: row.scenarioKey,
  agentId: row.agentId,
  assignedByUserId: row.assignedByUserId,
  note: row.note,
  dueAt: row.dueAt?.toISOString() ?? null,
  completedSessionId: row.completedSessionId,
  createdAt: row.createdAt.toISOString(),
});

export const commentBody = z.strictObject({ body: z.string().trim().min(1).max(5000) });
export const commentSchema = z.object({
  id: z.string(),
  authorUserId: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
});
export const presentComment = (row: CommentRow): z.infer<typeof commentSchema> => ({
  id: row.id,
  authorUserId: row.authorUserId,
  body: row.body,
  createdAt: row.createdAt.toISOString(),
});
