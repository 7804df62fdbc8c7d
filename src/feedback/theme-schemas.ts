import { z } from 'zod';
import type { feedbackThemes } from '../db/schema/index.ts';
import type { ThemeInsight } from './theme-insights.ts';

export const themesQuery = z.strictObject({
  weeks: z.coerce.number().int().min(1).max(52).default(8).describe('Weeks of trend, this one included'),
});
export const themeParams = z.strictObject({ id: z.uuid() });
export const labelBody = z.strictObject({ label: z.string().trim().min(1).max(120) });
export const actionBody = z.strictObject({
  label: z.string().trim().min(1).max(200).describe('What was done, e.g. "added a size guide"'),
  at: z.iso
    .datetime({ offset: true })
    .or(z.iso.date())
    .transform((value) => new Date(value)),
});

const themeSchema = z.object({
  id: z.string(),
  label: z.string(),
  terms: z.array(z.string()),
  size: z.number().describe('Feedback items filed under the theme'),
  trend: z.array(z.object({ weekStart: z.string(), count: z.number() })),
  quotes: z.array(z.object({ id: z.string(), body: z.string(), source: z.string(), occurredAt: z.string() })),
  action: z
    .object({
      label: z.string(),
      at: z.string(),
      beforePerWeek: z.number().describe('Items a week over the four weeks before the action'),
      afterPerWeek: z.number().nullable().describe('Items a week since the action (up to four weeks)'),
      weeksAfter: z.number(),
    })
    .nullable(),
  alertedAt: z.string().nullable().describe('When a sharp weekly rise last raised an alert'),
  alertOpen: z.boolean().describe('An alert was raised and no admin acknowledged it since'),
});
export const themesResponse = z.object({ data: z.array(themeSchema) });
export const themeResponse = themeSchema;
export const rebuildResponse = z.object({ themes: z.number() });

export const presentTheme = (
  theme: typeof feedbackThemes.$inferSelect,
  insight: ThemeInsight | undefined,
): z.infer<typeof themeSchema> => ({
  id: theme.id,
  label: theme.label,
  terms: theme.terms,
  size: insight?.size ?? 0,
  trend: insight?.trend ?? [],
  quotes: insight?.quotes ?? [],
  action: insight?.action ?? null,
  alertedAt: theme.alertedAt?.toISOString() ?? null,
  alertOpen: Boolean(
    theme.alertedAt && (!theme.alertAcknowledgedAt || theme.alertAcknowledgedAt < theme.alertedAt),
  ),
});
