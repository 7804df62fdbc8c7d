import { and, desc, eq, sql } from 'drizzle-orm';
import { callLogs, customers, messages } from '../db/schema/index.ts';
import type { Actor, AnyActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { invalid, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { customerIdFor, postToTicket } from './channel-intake.ts';

export const callOutcomes = [
  'answered',
  'missed',
  'voicemail',
  'busy',
  'no_answer',
  'failed',
  'canceled',
  'in_progress',
] as const;
export type CallOutcome = (typeof callOutcomes)[number];
export type CallDirection = 'inbound' | 'outbound';
export type CallLog = typeof callLogs.$inferSelect;

export type LogCallInput = {
  direction: CallDirection;
  number: string;
  durationSeconds?: number | undefined;
  outcome: CallOutcome;
  recordingUrl?: string | null | undefined;
  notes?: string | undefined;
  customerId?: string | undefined;
  customerName?: string | undefined;
  ticketId?: string | undefined;
  startedAt?: Date | undefined;
};

export function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m ? `${m}m ${String(s).padStart(2, '0')}s` : `${s}s`;
}

/** The timeline text of a call: who called whom, how long, how it ended, and the agent's notes. */
export function callSummary(
  call: Pick<CallLog, 'direction' | 'number' | 'durationSeconds' | 'outcome' | 'notes' | 'recordingUrl'>,
): string {
  const what =
    call.direction === 'inbound' ? `Inbound call from ${call.number}` : `Outbound call to ${call.number}`;
  const lines = [`${what} · ${formatDuration(call.durationSeconds)} · ${call.outcome.replace('_', ' ')}`];
  if (call.recordingUrl) lines.push(`Recording: ${call.recordingUrl}`);
  if (call.notes.trim()) lines.push('', call.notes.trim());
  return lines.join('\n');
}

export const callMeta = (call: CallLog) => ({
  call: {
    id: call.id,
    direction: call.direction,
    number: call.number,
    durationSeconds: call.durationSeconds,
    outcome: call.outcome,
    recordingUrl: call.recordingUrl,
  },
});

function checkNumber(number: string): string {
  const trimmed = number.trim();
  if (!/^\+?[\d\s().-]{3,32}$/.test(trimmed))
    throw invalid('Not a phone number', [
      { path: 'number', message: 'use digits, spaces and an optional +' },
    ]);
  return trimmed;
}

async function customerOf(tx: Db, workspaceId: string, input: LogCallInput, number: string) {
  if (!input.customerId) return customerIdFor(tx, workspaceId, { phone: number, name: input.customerName });
  const [row] = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.id, input.customerId), eq(customers.workspaceId, workspaceId)));
  if (!row) throw invalid('No such customer', [{ path: 'customerId', message: 'not found' }]);
  return row.id;
}

/**
 * Puts a finished call on the customer's timeline in the caller's transaction: on the given ticket,
 * or on a new phone ticket. An inbound call is the customer's message; an agent's outbound call on a
 * ticket of another channel is an internal note, so nothing is sent to the customer about it.
 */
export async function postCall(tx: Db, actor: AnyActor, call: CallLog, ticketId: string | undefined) {
  const onTicket = ticketId ? { ticketId } : null;
  const kind =
    call.direction === 'inbound' || !actor.userId
      ? 'customer_message'
      : onTicket
        ? 'internal_note'
        : 'public_reply';
  const posted = await postToTicket(
    tx,
    actor,
    onTicket ?? {
      customerId: call.customerId,
      subject: call.direction === 'inbound' ? `Call from ${call.number}` : `Call to ${call.number}`,
    },
    { kind, channel: 'phone', body: callSummary(call), channelMeta: callMeta(call) },
  );
  const [updated] = await tx
    .update(callLogs)
    .set({ ticketId: posted.ticketId, messageId: posted.messageId, updatedAt: sql`now()` })
    .where(eq(callLogs.id, call.id))
    .returning();
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    type: 'call.logged',
    payload: { call: presentCallEvent(updated!), actorId: actor.userId },
  });
  return updated!;
}

const presentCallEvent = (call: CallLog) => ({
  ...callMeta(call).call,
  customerId: call.customerId,
  ticketId: call.ticketId,
  messageId: call.messageId,
});

/**
 * Logs a call an agent made or took: finds the customer (by id, or by the number, creating them) and
 * puts the call on their timeline, all in one transaction. Throws validation errors before writing.
 */
export async function logCall(db: Db, actor: Actor, input: LogCallInput): Promise<CallLog> {
  const number = checkNumber(input.number);
  return db.transaction(async (tx) => {
    const customerId = await customerOf(tx, actor.workspaceId, input, number);
    const [call] = await tx
      .insert(callLogs)
      .values({
        workspaceId: actor.workspaceId,
        customerId,
        userId: actor.userId,
        direction: input.direction,
        number,
        durationSeconds: input.durationSeconds ?? 0,
        outcome: input.outcome,
        recordingUrl: input.recordingUrl ?? null,
        notes: input.notes ?? '',
        ...(input.startedAt && { startedAt: input.startedAt }),
      })
      .returning();
    return postCall(tx, actor, call!, input.ticketId);
  });
}

export async function listCalls(
  db: Db,
  actor: Actor,
  filter: { customerId?: string | undefined; ticketId?: string | undefined; limit: number },
): Promise<CallLog[]> {
  return db
    .select()
    .from(callLogs)
    .where(
      and(
        eq(callLogs.workspaceId, actor.workspaceId),
        filter.customerId ? eq(callLogs.customerId, filter.customerId) : undefined,
        filter.ticketId ? eq(callLogs.ticketId, filter.ticketId) : undefined,
      ),
    )
    .orderBy(desc(callLogs.startedAt), desc(callLogs.id))
    .limit(filter.limit);
}

export async function getCall(db: Db, actor: Actor, id: string): Promise<CallLog> {
  const [row] = await db
    .select()
    .from(callLogs)
    .where(and(eq(callLogs.id, id), eq(callLogs.workspaceId, actor.workspaceId)));
  if (!row) throw notFound('Call');
  return row;
}

/** Keeps the call's message in step when a recording arrives after the call was put on the timeline. */
export async function refreshCallMessage(tx: Db, call: CallLog) {
  if (!call.messageId) return;
  await tx
    .update(messages)
    .set({ bodyText: callSummary(call), channelMeta: callMeta(call) })
    .where(eq(messages.id, call.messageId));
}
