import { and, desc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { intelCoachRules, messages } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { getTicket } from '../tickets/ticket-queries.ts';
import { type CoachResult, checkReply } from './coach-engine.ts';
import { type CoachRules, defaultCoachRules } from './coach-rules.ts';
import { type coachRulesPatchSchema, coachRulesSchema } from './coach-schemas.ts';

export type CoachRulesPatch = z.infer<typeof coachRulesPatchSchema>;

function merge(base: CoachRules, patch: CoachRulesPatch): CoachRules {
  return {
    ...base,
    ...patch,
    style: { ...base.style, ...patch.style },
    penalties: { ...base.penalties, ...patch.penalties },
  } as CoachRules;
}

/** The workspace's coach rules; the English defaults where it has saved none (or a stored set no longer parses). */
export async function getCoachRules(db: Db, actor: Actor): Promise<{ rules: CoachRules; custom: boolean }> {
  const [row] = await db
    .select({ rules: intelCoachRules.rules })
    .from(intelCoachRules)
    .where(eq(intelCoachRules.workspaceId, actor.workspaceId));
  const parsed = row ? coachRulesSchema.safeParse(merge(defaultCoachRules, row.rules)) : undefined;
  return parsed?.success ? { rules: parsed.data, custom: true } : { rules: defaultCoachRules, custom: false };
}

/** Saves the parts given over the current rules, with an event for the audit trail and webhooks. */
export async function updateCoachRules(db: Db, actor: Actor, patch: CoachRulesPatch) {
  return db.transaction(async (tx) => {
    const { rules: current } = await getCoachRules(tx, actor);
    const rules = coachRulesSchema.parse(merge(current, patch));
    await tx
      .insert(intelCoachRules)
      .values({ workspaceId: actor.workspaceId, rules, updatedByUserId: actor.userId })
      .onConflictDoUpdate({
        target: intelCoachRules.workspaceId,
        set: { rules, updatedByUserId: actor.userId, updatedAt: new Date() },
      });
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'intel.coach_rules.updated',
      payload: { actorId: actor.userId, changed: Object.keys(patch) },
    });
    return { rules, custom: true };
  });
}

/** The body of the ticket's newest customer message; throws not_found for a ticket the actor cannot see. */
export async function lastCustomerText(db: Db, actor: Actor, ticketId: string): Promise<string | undefined> {
  await getTicket(db, actor, ticketId);
  const [row] = await db
    .select({ body: messages.bodyText })
    .from(messages)
    .where(
      and(
        eq(messages.ticketId, ticketId),
        eq(messages.workspaceId, actor.workspaceId),
        eq(messages.kind, 'customer_message'),
      ),
    )
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return row?.body;
}

/** Checks a draft with the workspace's rules, against the ticket's last customer message when given. */
export async function checkDraft(
  db: Db,
  actor: Actor,
  input: { text: string; customerText?: string | undefined; ticketId?: string | undefined },
): Promise<CoachResult> {
  const { rules } = await getCoachRules(db, actor);
  const customerText =
    input.customerText ?? (input.ticketId ? await lastCustomerText(db, actor, input.ticketId) : undefined);
  return checkReply({ text: input.text, customerText }, rules);
}
