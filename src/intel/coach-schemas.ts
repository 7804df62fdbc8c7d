import { z } from 'zod';

const phrase = z.string().trim().min(1).max(120);
const phrases = z.array(phrase).max(500);
const rewrite = z.strictObject({ phrase, replacement: z.string().trim().max(200) });
const rewrites = z.array(rewrite).max(500);
const sentence = z.string().trim().min(1).max(300);
const points = z.number().int().min(0).max(100);

/** A full rule set as stored and returned. */
export const coachRulesSchema = z.strictObject({
  upsetPhrases: phrases,
  empathyPhrases: phrases,
  empathyOpener: sentence,
  jargon: rewrites,
  blame: rewrites,
  nextStepPhrases: phrases,
  timeFramePhrases: phrases,
  nextStepSentence: sentence,
  maxGrade: z.number().min(1).max(20),
  style: z.strictObject({
    formality: z.enum(['formal', 'neutral', 'casual']),
    banned: rewrites,
    casualWords: rewrites,
    stiffWords: rewrites,
  }),
  penalties: z.strictObject({
    empathy: points,
    jargon: points,
    blame: points,
    nextStep: points,
    readingLevel: points,
    style: points,
    maxPerRule: points,
  }),
});

/** PUT body: any top-level part; what is left out keeps its current value. */
export const coachRulesPatchSchema = coachRulesSchema.partial().extend({
  style: coachRulesSchema.shape.style.partial().optional(),
  penalties: coachRulesSchema.shape.penalties.partial().optional(),
});

const edit = z.object({ start: z.number(), end: z.number(), text: z.string() });

export const coachResultSchema = z.object({
  score: z.number(),
  customerUpset: z.boolean(),
  readingGrade: z.number().nullable(),
  words: z.number(),
  flags: z.array(
    z.object({
      rule: z.enum(['empathy', 'jargon', 'blame', 'next_step', 'reading_level', 'style']),
      message: z.string(),
      params: z.record(z.string(), z.union([z.string(), z.number()])),
      start: z.number().optional(),
      end: z.number().optional(),
      fix: z.object({ label: z.string(), edits: z.array(edit) }).optional(),
      penalty: z.number(),
    }),
  ),
});
