import { and, eq } from 'drizzle-orm';
import { upsertCustomerByIdentity } from '../customers/customer-service.ts';
import { customerEvents, customerOrderItems } from '../db/schema/index.ts';
import { type Actor, roleAtLeast } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, invalid } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { dataSchemaFor, type EventBody, eventBody, type OrderItem } from './event-schemas.ts';

export type BusinessEvent = typeof customerEvents.$inferSelect;

/** The outbox event a stored business event raises; campaigns and other handlers react to it. */
export const CUSTOMER_EVENT = 'customer.event';

type Typed = {
  orderNumber: string | null;
  amount: number | null;
  currency: string | null;
  items: OrderItem[];
};

/** Validates `data` for the event's type; throws invalid with the failing paths under `data`. */
export function typedData(
  type: string,
  data: Record<string, unknown>,
): Typed & { data: Record<string, unknown> } {
  const parsed = dataSchemaFor(type).safeParse(data);
  if (!parsed.success)
    throw invalid(
      `The data of a ${type} event is not valid`,
      parsed.error.issues.map((issue) => ({
        path: ['data', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    );
  const value = parsed.data as Record<string, unknown>;
  const items = (value.items as OrderItem[] | undefined) ?? [];
  const sum = items.reduce((total, item) => total + (item.price ?? 0) * item.quantity, 0);
  const amount =
    typeof value.total === 'number' ? value.total : typeof value.amount === 'number' ? value.amount : null;
  return {
    data: value,
    orderNumber: (value.number ?? value.order_number ?? null) as string | null,
    amount: amount ?? (items.length ? Math.round(sum * 100) / 100 : null),
    currency: (value.currency as string | undefined) ?? null,
    items,
  };
}

/** Turns any value into a valid event input or throws invalid with the failing paths. */
export function parseEventInput(value: unknown): EventBody {
  const parsed = eventBody.safeParse(value);
  if (!parsed.success)
    throw invalid(
      'The event is not valid',
      parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    );
  return parsed.data;
}

class AlreadyStored extends Error {}

async function findByExternalId(db: Db, workspaceId: string, externalId: string) {
  const [row] = await db
    .select()
    .from(customerEvents)
    .where(and(eq(customerEvents.workspaceId, workspaceId), eq(customerEvents.externalId, externalId)));
  return row;
}

/**
 * Stores one business event for the customer it names (created when unknown), its order items and a
 * `customer.event` outbox row, in one transaction: an invalid event leaves nothing behind. An event whose
 * id was stored before is not stored again; `created` says which happened. Throws invalid or forbidden.
 */
export async function recordBusinessEvent(
  db: Db,
  actor: Actor,
  input: EventBody,
  now: Date = new Date(),
): Promise<{ event: BusinessEvent; created: boolean }> {
  if (!roleAtLeast(actor.role, 'agent')) throw forbidden('Light agents cannot record business events');
  const typed = typedData(input.type, input.data);
  const occurredAt = input.occurred_at ? new Date(input.occurred_at) : now;
  if (input.id) {
    const known = await findByExternalId(db, actor.workspaceId, input.id);
    if (known) return { event: known, created: false };
  }
  try {
    const event = await db.transaction(async (tx) => {
      const customerId = await upsertCustomerByIdentity(tx, actor.workspaceId, {
        email: input.customer.email,
        phone: input.customer.phone,
        externalId: input.customer.external_id,
        name: input.customer.name,
      });
      const [row] = await tx
        .insert(customerEvents)
        .values({
          workspaceId: actor.workspaceId,
          customerId,
          type: input.type,
          externalId: input.id ?? null,
          occurredAt,
          orderNumber: typed.orderNumber,
          amount: typed.amount,
          currency: typed.currency,
          data: typed.data,
        })
        .onConflictDoNothing()
        .returning();
      // Another request stored this id first: undo the customer we may have made, report theirs.
      if (!row) throw new AlreadyStored();
      if (typed.items.length)
        await tx.insert(customerOrderItems).values(
          typed.items.map((item) => ({
            workspaceId: actor.workspaceId,
            eventId: row.id,
            customerId,
            sku: item.sku,
            name: item.name ?? '',
            quantity: item.quantity,
            unitPrice: item.price ?? null,
            occurredAt,
          })),
        );
      await recordEvent(tx, {
        workspaceId: actor.workspaceId,
        type: CUSTOMER_EVENT,
        payload: {
          customer: { id: customerId },
          event: {
            id: row.id,
            type: row.type,
            occurredAt: occurredAt.toISOString(),
            orderNumber: row.orderNumber,
          },
          actorId: actor.userId,
        },
      });
      return row;
    });
    return { event, created: true };
  } catch (error) {
    if (!(error instanceof AlreadyStored) || !input.id) throw error;
    const known = await findByExternalId(db, actor.workspaceId, input.id);
    if (!known) throw error;
    return { event: known, created: false };
  }
}

export const presentEvent = (e: BusinessEvent) => ({
  id: e.id,
  externalId: e.externalId,
  customerId: e.customerId,
  type: e.type,
  occurredAt: e.occurredAt.toISOString(),
  orderNumber: e.orderNumber,
  amount: e.amount,
  currency: e.currency,
  data: e.data,
  createdAt: e.createdAt.toISOString(),
});
