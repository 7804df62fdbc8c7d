import type { OutboxHandler } from '../platform/outbox/relay.ts';
import { preScoreTicket } from './qa-service.ts';

type EventTicket = { id?: string; assigneeId?: string | null };

/** Pre-scores every ticket that becomes solved, so reviewers start from a suggestion. */
export const qaPreScore: OutboxHandler = {
  name: 'qa-pre-score',
  handles: (type) => type === 'ticket.updated',
  async handle(tx, event) {
    const change = (event.payload.changes as { status?: unknown } | undefined)?.status;
    const ticket = event.payload.ticket as EventTicket | undefined;
    if (!Array.isArray(change) || change[1] !== 'solved' || !ticket?.id) return;
    // The suggestion scores the assignee's replies; reading as them (least role) sees what they saw.
    if (!ticket.assigneeId) return;
    await preScoreTicket(
      tx,
      { userId: ticket.assigneeId, workspaceId: event.workspaceId, role: 'light' },
      ticket.id,
    );
  },
};
