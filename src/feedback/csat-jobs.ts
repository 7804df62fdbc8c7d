import { and, asc, eq } from 'drizzle-orm';
import { customerIdentities, surveyInvitations, tickets } from '../db/schema/index.ts';
import { queueOutbound, senderFor } from '../email/outbound-queue.ts';
import { publicUrl } from '../platform/config.ts';
import type { Deps } from '../platform/deps.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { csatDelayFor, feedbackSettingsOf } from './feedback-settings.ts';
import { surveyEmail } from './survey-email.ts';
import { createCsatInvitation, surveyLinks } from './survey-service.ts';

declare module '../platform/queue/queue.ts' {
  interface JobTypes {
    /** Sends the CSAT survey of a solved ticket; a ticket reopened or surveyed meanwhile gets none. */
    'feedback.csat': { workspaceId: string; ticketId: string };
  }
}

type EventTicket = { id?: string; channel?: string };

/** Queues the survey job when a ticket becomes solved, after its channel's delay (feedback_settings). */
export function csatScheduler(queue: Queue): OutboxHandler {
  return {
    name: 'csat-surveys',
    handles: (type) => type === 'ticket.updated',
    async handle(tx, event) {
      const change = (event.payload.changes as { status?: unknown } | undefined)?.status;
      const ticket = event.payload.ticket as EventTicket | undefined;
      if (!Array.isArray(change) || change[1] !== 'solved' || !ticket?.id) return;
      const settings = await feedbackSettingsOf(tx, event.workspaceId);
      if (!settings.csatEnabled) return;
      const delay = csatDelayFor(settings, ticket.channel ?? 'email') * 60_000;
      await queue.send(
        'feedback.csat',
        { workspaceId: event.workspaceId, ticketId: ticket.id },
        { tx, startAfter: new Date(event.createdAt.getTime() + delay), singletonKey: `csat:${ticket.id}` },
      );
    },
  };
}

/** Runs one survey job: idempotent, since jobs run at least once. */
export async function runCsatJob(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'secretBox'>,
  job: { workspaceId: string; ticketId: string },
) {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [ticket] = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, job.ticketId), eq(tickets.workspaceId, job.workspaceId)))
      .for('update');
    if (!ticket || ticket.mergedIntoId || (ticket.status !== 'solved' && ticket.status !== 'closed')) return;
    if (ticket.tags.includes('spam')) return;
    const settings = await feedbackSettingsOf(tx, job.workspaceId);
    // Switched off after the job was queued: the admin's latest word counts.
    if (!settings.csatEnabled) return;
    const [surveyed] = await tx
      .select({ id: surveyInvitations.id })
      .from(surveyInvitations)
      .where(and(eq(surveyInvitations.ticketId, ticket.id), eq(surveyInvitations.kind, 'csat')));
    if (surveyed) return;
    const [identity] = await tx
      .select({ value: customerIdentities.value })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.customerId, ticket.customerId), eq(customerIdentities.kind, 'email')))
      .orderBy(asc(customerIdentities.createdAt));
    if (!identity) return;
    const invitation = await createCsatInvitation(
      tx,
      {
        workspaceId: job.workspaceId,
        ticketId: ticket.id,
        email: identity.value,
        ttlHours: settings.linkTtlHours,
      },
      now,
    );
    const links = surveyLinks(deps.secretBox, publicUrl(deps.config), invitation);
    const sender = await senderFor(tx, deps.config, job.workspaceId, null);
    const mail = surveyEmail({
      kind: 'csat',
      brand: sender.brand,
      links,
      ttlHours: settings.linkTtlHours,
      ticket,
    });
    await queueOutbound(tx, {
      workspaceId: job.workspaceId,
      kind: 'notification',
      dedupeKey: `csat:${invitation.id}`,
      ticketId: ticket.id,
      messageId: null,
      fromAddress: sender.address,
      fromName: sender.brand,
      to: [identity.value],
      ...mail,
      threads: false,
    });
  });
}

/** Worker-role registration of the survey job. */
export async function startCsatJobs(deps: Deps): Promise<void> {
  await deps.queue.declare(['feedback.csat']);
  await deps.queue.work('feedback.csat', (job) => runCsatJob(deps, job));
}
