import { and, asc, eq, sql } from 'drizzle-orm';
import { callbackRequests, customers } from '../db/schema/index.ts';
import type { Actor, AnyActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { invalid, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { customerIdFor, postToTicket } from './channel-intake.ts';

export type CallbackRow = typeof callbackRequests.$inferSelect;

function offsetMs(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** "2026-12-05T14:30" on the wall clock of `timeZone` as an instant (the later one across a DST gap). */
export function zonedTime(local: string, timeZone: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!match)
    throw invalid('Not a local date and time', [{ path: 'preferredTime', message: 'use YYYY-MM-DDTHH:MM' }]);
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, s || 0);
  let guess = wall - offsetMs(wall, timeZone);
  guess = wall - offsetMs(guess, timeZone);
  return new Date(guess);
}

function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    throw invalid('Unknown time zone', [
      { path: 'timeZone', message: 'use an IANA name such as Europe/Paris' },
    ]);
  }
}

export type CallbackInput = {
  phone: string;
  name?: string | undefined;
  preferredTime: string;
  timeZone?: string | undefined;
  notes?: string | undefined;
};

/** A callback's number as given, trimmed; throws validation_failed at `path` unless it looks like one. */
export const PHONE_PATTERN = /^\+?[\d\s().-]{3,32}$/;
/** A wall-clock time as a form or the API sends it: 2026-12-05T14:30, seconds optional. */
export const LOCAL_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

export function checkCallbackPhone(phone: string, path = 'phone'): string {
  const trimmed = phone.trim();
  if (!PHONE_PATTERN.test(trimmed))
    throw invalid('Not a phone number', [{ path, message: 'is not a phone number' }]);
  return trimmed;
}

export type PlannedCallback = {
  phone: string;
  preferredAt: Date;
  timeZone: string;
  notes: string;
  /** The request in the customer's words: the number and the time on their own clock. */
  request: string;
  channelMeta: { callback: { phone: string; preferredAt: string; timeZone: string } };
};

/**
 * Reads the preferred time on the wall clock of the given time zone, else the customer's, else UTC,
 * in the caller's transaction; a customer without a time zone keeps the given one. Without a customer
 * (none yet) it only checks and plans, writing nothing.
 */
export async function planCallback(
  tx: Db,
  customerId: string | null,
  input: Omit<CallbackInput, 'name'>,
): Promise<PlannedCallback> {
  const phone = checkCallbackPhone(input.phone);
  const [customer] = customerId
    ? await tx.select({ timeZone: customers.timeZone }).from(customers).where(eq(customers.id, customerId))
    : [];
  const timeZone = checkTimeZone(input.timeZone ?? customer?.timeZone ?? 'UTC');
  const preferredAt = zonedTime(input.preferredTime, timeZone);
  if (customerId && !customer?.timeZone && input.timeZone)
    await tx.update(customers).set({ timeZone, updatedAt: sql`now()` }).where(eq(customers.id, customerId));
  const when = `${input.preferredTime.replace('T', ' ')} (${timeZone})`;
  const notes = input.notes?.trim() ?? '';
  return {
    phone,
    preferredAt,
    timeZone,
    notes,
    request: `Please call me back on ${phone} at ${when}.`,
    channelMeta: { callback: { phone, preferredAt: preferredAt.toISOString(), timeZone } },
  };
}

/**
 * Puts a planned callback in the agents' queue for the ticket that carries it, in the caller's
 * transaction, with its callback.requested event.
 */
export async function queueCallback(
  tx: Db,
  actor: AnyActor,
  plan: PlannedCallback,
  target: { customerId: string; ticketId: string },
): Promise<CallbackRow> {
  const [row] = await tx
    .insert(callbackRequests)
    .values({
      workspaceId: actor.workspaceId,
      customerId: target.customerId,
      ticketId: target.ticketId,
      phone: plan.phone,
      preferredAt: plan.preferredAt,
      timeZone: plan.timeZone,
      notes: plan.notes,
    })
    .returning();
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    type: 'callback.requested',
    payload: {
      callback: { id: row!.id, ticketId: target.ticketId, preferredAt: plan.preferredAt.toISOString() },
      actorId: actor.userId,
    },
  });
  return row!;
}

/**
 * Queues a callback: the customer (found by number, or created) gets a phone ticket tagged "callback"
 * in the agents' queue, so assignment and SLAs cover it like any ticket.
 */
export async function requestCallback(db: Db, actor: Actor, input: CallbackInput): Promise<CallbackRow> {
  const phone = checkCallbackPhone(input.phone);
  return db.transaction(async (tx) => {
    const customerId = await customerIdFor(tx, actor.workspaceId, { phone, name: input.name });
    const plan = await planCallback(tx, customerId, input);
    const posted = await postToTicket(
      tx,
      actor,
      { customerId, subject: `Callback requested: ${phone}`, tags: ['callback'] },
      {
        kind: 'customer_message',
        channel: 'phone',
        body: [plan.request, plan.notes].filter(Boolean).join('\n\n'),
        channelMeta: plan.channelMeta,
      },
    );
    return queueCallback(tx, actor, plan, { customerId, ticketId: posted.ticketId });
  });
}

/** The callback queue: pending requests soonest first (or those of another status). */
export async function listCallbacks(db: Db, actor: Actor, status: CallbackRow['status'], limit: number) {
  return db
    .select()
    .from(callbackRequests)
    .where(and(eq(callbackRequests.workspaceId, actor.workspaceId), eq(callbackRequests.status, status)))
    .orderBy(asc(callbackRequests.preferredAt), asc(callbackRequests.id))
    .limit(limit);
}

export async function setCallbackStatus(
  db: Db,
  actor: Actor,
  id: string,
  status: 'pending' | 'done' | 'cancelled',
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(callbackRequests)
      .set({ status, updatedAt: sql`now()` })
      .where(and(eq(callbackRequests.id, id), eq(callbackRequests.workspaceId, actor.workspaceId)))
      .returning();
    if (!row) throw notFound('Callback request');
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'callback.updated',
      payload: { callback: { id, status }, actorId: actor.userId },
    });
    return row;
  });
}
