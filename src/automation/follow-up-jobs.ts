import { and, eq, gt } from 'drizzle-orm';
import { followUps, memberships, messages, tickets } from '../db/schema/index.ts';
import { type Actor, type AutomationActor, automationActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import type { JobTypes, Queue } from '../platform/queue/queue.ts';
import { addMessage } from '../tickets/message-service.ts';
import { logTicketEvent, type TicketRow, ticketSummary } from '../tickets/ticket-records.ts';
import { updateTicket } from '../tickets/ticket-service.ts';
import { fillTemplate } from './action-executor.ts';
import {
  automationSettingsOf,
  cancelOpenFollowUps,
  daysAfter,
  FOLLOW_UP_JOB,
  type FollowUp,
  queueFollowUp,
} from './follow-up-service.ts';

const PENDING_KINDS = ['pending_reminder', 'auto_solve'] as const;

/**
 * Keeps the workspace's follow-up rules in step with status changes: a solve queues the check-in, going
 * pending queues the reminder and the automatic solve, and leaving either state cancels what it queued.
 */
export function followUpScheduler(queue: Queue): OutboxHandler {
  return {
    name: 'follow-up-rules',
    handles: (type) => type === 'ticket.updated',
    async handle(tx, event) {
      const change = (event.payload.changes as { status?: unknown } | undefined)?.status;
      const ticketId = (event.payload.ticket as { id?: string } | undefined)?.id;
      if (!Array.isArray(change) || !ticketId) return;
      const [from, to] = change as [string, string];
      const { workspaceId, createdAt: at } = event;
      if (from === 'solved' && to !== 'closed')
        await cancelOpenFollowUps(tx, workspaceId, ticketId, ['check_in'], at);
      if (from === 'pending') await cancelOpenFollowUps(tx, workspaceId, ticketId, [...PENDING_KINDS], at);
      if (to !== 'solved' && to !== 'pending') return;
      const settings = await automationSettingsOf(tx, workspaceId);
      const queueRule = (kind: FollowUp['kind'], days: number | null, body: string) =>
        days === null
          ? null
          : queueFollowUp(tx, queue, {
              workspaceId,
              ticketId,
              kind,
              body,
              dueAt: daysAfter(at, days),
              createdByUserId: null,
            });
      if (to === 'solved') await queueRule('check_in', settings.checkInDays, settings.checkInBody);
      if (to === 'pending') {
        await queueRule('pending_reminder', settings.pendingReminderDays, settings.pendingReminderBody);
        await queueRule('auto_solve', settings.pendingSolveDays, '');
      }
    },
  };
}

/** Who a follow-up writes as: the agent who scheduled it while still a full member, else the automation. */
async function authorOf(tx: Db, row: FollowUp): Promise<Actor | AutomationActor> {
  if (!row.createdByUserId) return automationActor(row.workspaceId);
  const [member] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, row.workspaceId), eq(memberships.userId, row.createdByUserId)));
  return member && member.role !== 'light'
    ? { userId: row.createdByUserId, workspaceId: row.workspaceId, role: member.role }
    : automationActor(row.workspaceId);
}

async function customerWroteSince(tx: Db, ticket: TicketRow, since: Date): Promise<boolean> {
  const [row] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, ticket.workspaceId),
        eq(messages.ticketId, ticket.id),
        eq(messages.kind, 'customer_message'),
        gt(messages.createdAt, since),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** Why a follow-up due now no longer applies to its ticket, or null when it still does. */
async function staleReason(tx: Db, row: FollowUp, ticket: TicketRow): Promise<string | null> {
  if (ticket.mergedIntoId) return 'merged';
  if (row.kind === 'reminder') return null;
  if (ticket.status === 'closed') return 'closed';
  if (row.kind === 'check_in') return ticket.status === 'solved' ? null : 'reopened';
  if (row.kind === 'message') return null;
  if (ticket.status !== 'pending') return 'no longer pending';
  return (await customerWroteSince(tx, ticket, row.createdAt)) ? 'customer answered' : null;
}

async function carryOut(tx: Db, row: FollowUp, ticket: TicketRow) {
  const source = { kind: 'follow_up', followUpId: row.id, followUpKind: row.kind };
  if (row.kind === 'reminder') {
    if (row.createdByUserId)
      await recordEvent(tx, {
        workspaceId: row.workspaceId,
        type: 'agent.notified',
        payload: { ticket: ticketSummary(ticket), userIds: [row.createdByUserId], body: row.body, source },
      });
    return;
  }
  if (row.kind === 'auto_solve') {
    await updateTicket(tx, automationActor(row.workspaceId), ticket.id, { status: 'solved' });
    return;
  }
  await addMessage(tx, await authorOf(tx, row), ticket.id, {
    kind: 'public_reply',
    body: await fillTemplate(tx, ticket, row.body),
    channelMeta: { automation: source },
  });
}

/**
 * Fires one follow-up. Jobs run at least once, so it decides under the follow-up's lock: one already
 * fired or cancelled is left alone, one whose ticket moved on (reopened, answered, closed) is cancelled
 * with a history line saying why, and the rest fire and are marked fired in the same transaction.
 */
export async function runFollowUp(
  deps: Pick<Deps, 'db' | 'clock' | 'queue'>,
  job: JobTypes['followups.fire'],
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(followUps)
      .where(and(eq(followUps.id, job.followUpId), eq(followUps.workspaceId, job.workspaceId)))
      .for('update');
    if (!row || row.firedAt || row.cancelledAt) return;
    if (now < row.dueAt) {
      // Early (a clock skew between nodes): look again when it is due.
      await deps.queue.send(FOLLOW_UP_JOB, job, { tx, startAfter: row.dueAt });
      return;
    }
    const [ticket] = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, row.ticketId), eq(tickets.workspaceId, row.workspaceId)));
    if (!ticket) return;
    const reason = await staleReason(tx, row, ticket);
    const actor = automationActor(row.workspaceId);
    const followUp = { id: row.id, kind: row.kind };
    if (reason) {
      await tx.update(followUps).set({ cancelledAt: now }).where(eq(followUps.id, row.id));
      await logTicketEvent(tx, actor, ticket, 'follow_up.skipped', { followUp, reason });
      return;
    }
    await tx.update(followUps).set({ firedAt: now }).where(eq(followUps.id, row.id));
    await carryOut(tx, row, ticket);
    const [after] = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, row.ticketId), eq(tickets.workspaceId, row.workspaceId)));
    await logTicketEvent(tx, actor, after!, 'follow_up.fired', { followUp });
  });
}

/** Worker-role registration of the follow-up job. */
export async function startFollowUpJobs(deps: Deps): Promise<void> {
  await deps.queue.declare([FOLLOW_UP_JOB]);
  await deps.queue.work(FOLLOW_UP_JOB, (job) => runFollowUp(deps, job));
}
