import { z } from 'zod';
import { type FeedbackSettings, surveyChannels } from './feedback-settings.ts';
import type { ResponseSummary, SurveyResponseRow } from './survey-results.ts';

export const surveyKind = z.enum(['csat', 'nps', 'ces']);

export const settingsSchema = z.object({
  csatEnabled: z.boolean(),
  csatDelayMinutes: z
    .record(z.string(), z.number())
    .describe('Minutes after a solve before the CSAT survey is sent, per channel; 60 for a channel left out'),
  linkTtlHours: z.number().describe('How long survey links stay valid'),
}) satisfies z.ZodType<FeedbackSettings>;

export const settingsBody = z.strictObject({
  csatEnabled: z.boolean().optional(),
  csatDelayMinutes: z.partialRecord(z.enum(surveyChannels), z.int().min(0).max(43_200)).optional(),
  linkTtlHours: z
    .int()
    .min(1)
    .max(24 * 90)
    .optional(),
});

export const responsesQuery = z.strictObject({
  ticket_id: z.uuid().optional(),
  customer_id: z.uuid().optional(),
  agent_id: z.uuid().optional(),
  kind: surveyKind.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});

export const responseSchema = z.object({
  id: z.string(),
  kind: surveyKind,
  score: z.number(),
  comment: z.string().nullable(),
  source: z
    .string()
    .describe('email (a survey link), chat (the widget), portal (the customer portal), or import'),
  ticketId: z.string().nullable(),
  customerId: z.string().nullable(),
  agentId: z.string().nullable(),
  answeredAt: z.string(),
});

export const responsesSchema = z.object({
  data: z.array(responseSchema),
  summary: z
    .array(
      z.object({
        kind: surveyKind,
        answers: z.number(),
        average: z.number(),
        positive: z.number().describe('Share of CSAT 4–5, NPS 9–10 or CES 5–7 among the answers'),
      }) satisfies z.ZodType<ResponseSummary>,
    )
    .describe('Over every answer the filter matches, not only this page'),
  nextCursor: z.string().nullable(),
});

export const presentResponse = (row: SurveyResponseRow): z.infer<typeof responseSchema> => ({
  id: row.id,
  kind: row.kind,
  score: row.score,
  comment: row.comment,
  source: row.source,
  ticketId: row.ticketId,
  customerId: row.customerId,
  agentId: row.agentId,
  answeredAt: row.answeredAt.toISOString(),
});
