import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import {
  intelTriageFeedback,
  intelTriageModels,
  intelTriageSuggestions,
  messages,
} from '../db/schema/index.ts';
import { type Actor, automationActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { DomainError, invalid, invalidState } from '../platform/errors.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { lockTicket, logTicketEvent, type TicketRow } from '../tickets/ticket-records.ts';
import { updateTicket } from '../tickets/ticket-service.ts';
import {
  categoryOf,
  categoryPatch,
  queueTraining,
  readTriageSettings,
  type TriageSettings,
} from './triage-settings.ts';
import { loadModel, triageText } from './triage-training.ts';

export type TriageSuggestion = typeof intelTriageSuggestions.$inferSelect;

async function ticketText(db: Db, ticket: Pick<TicketRow, 'id' | 'workspaceId' | 'subject'>) {
  const [first] = await db
    .select({ body: messages.bodyText })
    .from(messages)
    .where(
      and(
        eq(messages.ticketId, ticket.id),
        eq(messages.workspaceId, ticket.workspaceId),
        eq(messages.kind, 'customer_message'),
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(1);
  return triageText(ticket.subject, first?.body);
}

/** Acts on a confident prediction as the automation; a mapping that no longer holds leaves a proposal. */
async function act(tx: Db, settings: TriageSettings, ticket: TicketRow, suggestion: TriageSuggestion) {
  const actor = automationActor(ticket.workspaceId);
  try {
    await tx.transaction(async (sp) => {
      const after = await updateTicket(
        sp,
        actor,
        ticket.id,
        categoryPatch(settings, ticket, suggestion.category),
      );
      await logTicketEvent(sp, actor, after, 'triage.applied', {
        category: suggestion.category,
        confidence: suggestion.confidence,
        teamId: suggestion.teamId,
        priority: suggestion.priority,
      });
    });
    return true;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return false;
  }
}

/**
 * Predicts the category of a new ticket with the workspace's model and stores the suggestion; at or
 * above the threshold it also files the ticket (category, team, priority) as the automation. Does
 * nothing without settings or a model, or for a ticket that arrived already labelled.
 */
export async function triageTicket(
  tx: Db,
  workspaceId: string,
  ticketId: string,
): Promise<TriageSuggestion | null> {
  const settings = await readTriageSettings(tx, workspaceId);
  if (!settings?.enabled) return null;
  const model = await loadModel(tx, workspaceId);
  if (!model) return null;
  const ticket = await lockTicket(tx, workspaceId, ticketId);
  if (ticket.status === 'closed' || categoryOf(settings.source, ticket)) return null;
  const prediction = model.classifier.predict(await ticketText(tx, ticket), 3);
  const target = settings.mapping[prediction.label] ?? {};
  const confident = prediction.confidence >= settings.threshold;
  const [suggestion] = await tx
    .insert(intelTriageSuggestions)
    .values({
      workspaceId,
      ticketId,
      category: prediction.label,
      confidence: Number(prediction.confidence.toFixed(4)),
      alternatives: prediction.alternatives.map((a) => ({
        label: a.label,
        confidence: Number(a.confidence.toFixed(4)),
      })),
      teamId: target.teamId ?? null,
      priority: target.priority ?? null,
      state: 'proposed',
      modelVersion: model.version,
    })
    .onConflictDoNothing()
    .returning();
  // At least once: a second run for the same ticket finds its suggestion already there.
  if (!suggestion) return null;
  if (confident && (await act(tx, settings, ticket, suggestion))) {
    const [applied] = await tx
      .update(intelTriageSuggestions)
      .set({ state: 'applied' })
      .where(eq(intelTriageSuggestions.id, suggestion.id))
      .returning();
    return applied!;
  }
  return suggestion;
}

/** The suggestion triage made for one ticket, or null; the ticket must be the actor's workspace's. */
export async function ticketSuggestion(db: Db, actor: Pick<Actor, 'workspaceId'>, ticketId: string) {
  const [row] = await db
    .select()
    .from(intelTriageSuggestions)
    .where(
      and(
        eq(intelTriageSuggestions.ticketId, ticketId),
        eq(intelTriageSuggestions.workspaceId, actor.workspaceId),
      ),
    );
  return row ?? null;
}

/** Suggestions newest first, optionally of one state (proposed ones are those waiting for an agent). */
export async function listSuggestions(
  db: Db,
  actor: Actor,
  filter: { state?: string | undefined; limit?: number | undefined },
) {
  return db
    .select()
    .from(intelTriageSuggestions)
    .where(
      and(
        eq(intelTriageSuggestions.workspaceId, actor.workspaceId),
        filter.state ? eq(intelTriageSuggestions.state, filter.state) : undefined,
      ),
    )
    .orderBy(desc(intelTriageSuggestions.createdAt), desc(intelTriageSuggestions.id))
    .limit(filter.limit ?? 50);
}

/**
 * An agent's verdict on a ticket's category: accepts the suggestion or corrects it, files the ticket
 * (category, and the mapped team and priority) as the agent, records the verdict as feedback and queues
 * the model's update. Throws invalid_state when triage is not set up, not_found for another's ticket.
 */
export async function giveTriageFeedback(
  db: Db,
  queue: Queue,
  actor: Actor,
  ticketId: string,
  input: { category: string },
) {
  const category = input.category.trim();
  if (category === '') throw invalid('The category is empty', [{ path: 'category', message: 'empty' }]);
  return db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, actor.workspaceId, ticketId);
    const settings = await readTriageSettings(tx, actor.workspaceId);
    if (!settings) throw invalidState('Triage is not set up in this workspace');
    await updateTicket(tx, actor, ticketId, categoryPatch(settings, ticket, category));
    return recordVerdict(tx, queue, { ticket, category, userId: actor.userId });
  });
}

export type TriageVerdict = {
  ticket: Pick<TicketRow, 'id' | 'workspaceId' | 'subject'>;
  category: string;
  userId: string;
  /** When the agent decided; the transaction's time when not given. */
  at?: Date | undefined;
};

/**
 * Records an agent's verdict on a ticket's category, in the caller's transaction: a feedback row the
 * next update learns (queued here), and the suggestion, if any, accepted or corrected.
 */
export async function recordVerdict(tx: Db, queue: Queue, verdict: TriageVerdict) {
  const { ticket, category, userId } = verdict;
  const suggestion = await ticketSuggestion(tx, ticket, ticket.id);
  const state = suggestion?.category === category ? 'accepted' : 'corrected';
  const [feedback] = await tx
    .insert(intelTriageFeedback)
    .values({
      workspaceId: ticket.workspaceId,
      ticketId: ticket.id,
      predicted: suggestion?.category ?? null,
      category,
      text: await ticketText(tx, ticket),
      userId,
      ...(verdict.at && { createdAt: verdict.at }),
    })
    .returning();
  const decided = suggestion
    ? ((
        await tx
          .update(intelTriageSuggestions)
          .set({ state, decidedByUserId: userId, decidedAt: verdict.at ?? new Date() })
          .where(eq(intelTriageSuggestions.id, suggestion.id))
          .returning()
      )[0] ?? null)
    : null;
  await queueTraining(tx, queue, ticket.workspaceId, 'corrections');
  return { suggestion: decided, feedback: feedback! };
}

/**
 * The ticket's category as triage knows it, for "intent" trigger conditions: the agents' latest verdict,
 * else what triage applied or proposed; null when triage never saw the ticket.
 */
export async function ticketIntent(db: Db, workspaceId: string, ticketId: string): Promise<string | null> {
  const [verdict] = await db
    .select({ category: intelTriageFeedback.category })
    .from(intelTriageFeedback)
    .where(and(eq(intelTriageFeedback.ticketId, ticketId), eq(intelTriageFeedback.workspaceId, workspaceId)))
    .orderBy(desc(intelTriageFeedback.createdAt))
    .limit(1);
  if (verdict) return verdict.category;
  return (await ticketSuggestion(db, { workspaceId }, ticketId))?.category ?? null;
}

/** What triage knows now: its settings, the model and how it was trained, corrections not yet learnt. */
export async function triageStatus(db: Db, actor: Actor) {
  const settings = await readTriageSettings(db, actor.workspaceId);
  const [model] = await db
    .select({
      version: intelTriageModels.version,
      labels: intelTriageModels.labels,
      trainedRows: intelTriageModels.trainedRows,
      holdoutAccuracy: intelTriageModels.holdoutAccuracy,
      learnedCorrections: intelTriageModels.learnedCorrections,
      trainSeconds: intelTriageModels.trainSeconds,
      trainedAt: intelTriageModels.trainedAt,
      updatedAt: intelTriageModels.updatedAt,
    })
    .from(intelTriageModels)
    .where(eq(intelTriageModels.workspaceId, actor.workspaceId));
  const [pending] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(intelTriageFeedback)
    .where(
      and(eq(intelTriageFeedback.workspaceId, actor.workspaceId), isNull(intelTriageFeedback.learnedAt)),
    );
  return { settings, model: model ?? null, pendingCorrections: pending?.count ?? 0 };
}
