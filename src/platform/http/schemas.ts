import { z } from 'zod';

export const idParams = z.strictObject({ id: z.uuid() });
export const isoDate = z.date().transform((date) => date.toISOString());
export const emailSchema = z.email().max(320);
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  instance: z.string(),
  requestId: z.string(),
});
