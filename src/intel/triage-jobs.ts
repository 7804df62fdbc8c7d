import { and, eq } from 'drizzle-orm';
import { intelTriageFeedback } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import type { OutboxEvent } from '../platform/outbox/outbox.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { recordVerdict, triageTicket } from './triage-service.ts';
import { categoryOf, readTriageSettings } from './triage-settings.ts';
import { learnCorrections, trainFull } from './triage-training.ts';

/** Predicts the category of every new ticket as it is committed, whichever channel it came by. */
export const ticketTriage: OutboxHandler = {
  name: 'intel.triage',
  handles: (type) => type === 'ticket.created',
  async handle(tx, event) {
    const id = (event.payload.ticket as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string') await triageTicket(tx, event.workspaceId, id);
  },
};

type UpdatedTicket = { id: string; subject: string };
type Change = [unknown, unknown] | undefined;

/** An agent's category edit on a ticket.updated event: the category it set, or undefined. */
async function editedCategory(tx: Db, event: OutboxEvent): Promise<string | undefined> {
  if (typeof event.payload.actorId !== 'string') return undefined; // triage, triggers, imports
  const changes = (event.payload.changes ?? {}) as Record<string, Change>;
  if (!changes.customFields && !changes.tags) return undefined;
  const settings = await readTriageSettings(tx, event.workspaceId);
  if (!settings) return undefined;
  const side = (i: 0 | 1) => {
    const fields = changes.customFields?.[i];
    const tags = changes.tags?.[i];
    return {
      customFields: (fields && typeof fields === 'object' ? fields : {}) as Record<string, unknown>,
      tags: Array.isArray(tags) ? (tags as string[]) : [],
    };
  };
  const relevant = settings.source.kind === 'field' ? changes.customFields : changes.tags;
  if (!relevant) return undefined;
  const before = categoryOf(settings.source, side(0));
  const after = categoryOf(settings.source, side(1));
  // Clearing the category says nothing about what the ticket is.
  return after !== undefined && after !== before ? after : undefined;
}

/**
 * An agent filing a ticket by editing its category directly (the field or tag group triage learns from,
 * one ticket or in bulk) gives the same verdict as the triage feedback endpoint: recorded as an
 * acceptance or a correction and learnt by the next update. Changes made by the endpoint itself, and
 * this event handled before, are already recorded: their feedback carries the event's own time.
 */
export function triageEdits(queue: Queue): OutboxHandler {
  return {
    name: 'intel.triage-edits',
    handles: (type) => type === 'ticket.updated',
    async handle(tx, event) {
      const category = await editedCategory(tx, event);
      const ticket = event.payload.ticket as UpdatedTicket | undefined;
      if (category === undefined || !ticket) return;
      const [recorded] = await tx
        .select({ id: intelTriageFeedback.id })
        .from(intelTriageFeedback)
        .where(
          and(
            eq(intelTriageFeedback.ticketId, ticket.id),
            eq(intelTriageFeedback.workspaceId, event.workspaceId),
            eq(intelTriageFeedback.category, category),
            eq(intelTriageFeedback.createdAt, event.createdAt),
          ),
        )
        .limit(1);
      if (recorded) return;
      await recordVerdict(tx, queue, {
        ticket: { id: ticket.id, workspaceId: event.workspaceId, subject: ticket.subject },
        category,
        userId: event.payload.actorId as string,
        at: event.createdAt,
      });
    },
  };
}

/** Worker-role registration: the durable training job (full, or the agents' corrections). */
export async function startTriageJobs(deps: Deps): Promise<void> {
  await deps.queue.declare(['intel.triage.train']);
  await deps.queue.work('intel.triage.train', async (job) => {
    const result =
      job.mode === 'full'
        ? await trainFull(deps.db, job.workspaceId)
        : await learnCorrections(deps.db, job.workspaceId);
    deps.logger.info({ workspaceId: job.workspaceId, mode: job.mode, ...result }, 'triage training');
  });
}
