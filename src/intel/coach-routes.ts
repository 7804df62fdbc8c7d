import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { coachResultSchema, coachRulesPatchSchema, coachRulesSchema } from './coach-schemas.ts';
import { checkDraft, getCoachRules, updateCoachRules } from './coach-service.ts';

const tags = ['intelligence'];
const rulesResponse = z.object({ rules: coachRulesSchema, custom: z.boolean() });

export function registerCoachRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/intel/coach/rules',
    {
      schema: {
        tags,
        description: "The reply coach's rules and phrase lists; `custom: false` means the English defaults.",
        response: { 200: rulesResponse },
      },
    },
    async (request) => getCoachRules(db, actorOf(request)),
  );

  app.put(
    '/api/v1/intel/coach/rules',
    {
      config: { minRole: 'admin' as const },
      schema: {
        tags,
        description:
          'Replaces the parts given (top-level keys; `style` and `penalties` by key); the rest stays.',
        body: coachRulesPatchSchema,
        response: { 200: rulesResponse },
      },
    },
    async (request) => updateCoachRules(db, actorOf(request), request.body),
  );

  app.post(
    '/api/v1/intel/coach/check',
    {
      // Light agents write internal notes; checking changes nothing.
      config: { minRole: 'light' as const },
      schema: {
        tags,
        description:
          'Scores a reply draft 0–100 with flags and one-click fixes (edits by offset into `text`). The ' +
          "customer's mood comes from `customerText`, else from the ticket's last customer message.",
        body: z.strictObject({
          text: z.string().max(20_000),
          customerText: z.string().max(20_000).optional(),
          ticketId: z.uuid().optional(),
        }),
        response: { 200: coachResultSchema },
      },
    },
    async (request) => checkDraft(db, actorOf(request), request.body),
  );
}
