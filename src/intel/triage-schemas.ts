import { z } from 'zod';
import { priorities } from '../tickets/ticket-schemas.ts';
import type { TriageSuggestion } from './triage-service.ts';

export const triageSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('field'), key: z.string().min(1).max(100) }),
  z.strictObject({ kind: z.literal('tags'), prefix: z.string().min(1).max(60) }),
]);

const mappingSchema = z.record(
  z.string().min(1).max(200),
  z.strictObject({ teamId: z.uuid().optional(), priority: z.enum(priorities).optional() }),
);

export const triageSettingsBody = z.strictObject({
  enabled: z.boolean().optional(),
  source: triageSourceSchema,
  threshold: z.number().min(0).max(1).optional(),
  mapping: mappingSchema.optional(),
});

export const triageSettingsSchema = z.object({
  enabled: z.boolean(),
  source: triageSourceSchema,
  threshold: z.number(),
  mapping: mappingSchema,
});

export const suggestionSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  category: z.string(),
  confidence: z.number(),
  alternatives: z.array(z.object({ label: z.string(), confidence: z.number() })),
  teamId: z.string().nullable(),
  priority: z.string().nullable(),
  state: z.enum(['applied', 'proposed', 'accepted', 'corrected']),
  modelVersion: z.number(),
  decidedByUserId: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const presentSuggestion = (row: TriageSuggestion): z.infer<typeof suggestionSchema> => ({
  id: row.id,
  ticketId: row.ticketId,
  category: row.category,
  confidence: row.confidence,
  alternatives: row.alternatives,
  teamId: row.teamId,
  priority: row.priority,
  state: row.state as z.infer<typeof suggestionSchema>['state'],
  modelVersion: row.modelVersion,
  decidedByUserId: row.decidedByUserId,
  decidedAt: row.decidedAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
});

export const statusSchema = z.object({
  settings: triageSettingsSchema.nullable(),
  model: z
    .object({
      version: z.number(),
      labels: z.array(z.string()),
      trainedRows: z.number(),
      holdoutAccuracy: z.number().nullable(),
      learnedCorrections: z.number(),
      trainSeconds: z.number(),
      trainedAt: z.string(),
      updatedAt: z.string(),
    })
    .nullable(),
  pendingCorrections: z.number(),
  jobs: z.array(
    z.object({ id: z.string(), state: z.string(), mode: z.string(), error: z.string().nullable() }),
  ),
});
