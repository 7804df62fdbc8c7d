import { randomUUID } from 'node:crypto';
import { recordBusinessEvent } from '../../src/crm/event-service.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import type { Db } from '../../src/platform/db/database.ts';

/** An order.placed event for a customer known by email, with items as `sku` or `[sku, price]`. */
export async function makeOrder(
  db: Db,
  actor: Actor,
  email: string,
  items: (string | [string, number])[],
  extra: { occurredAt?: string; number?: string; name?: string } = {},
) {
  const number = extra.number ?? `R-${randomUUID().slice(0, 6)}`;
  const { event } = await recordBusinessEvent(db, actor, {
    id: `order-${number}`,
    customer: { email, ...(extra.name && { name: extra.name }) },
    type: 'order.placed',
    ...(extra.occurredAt && { occurred_at: extra.occurredAt }),
    data: {
      number,
      currency: 'EUR',
      items: items.map((item) =>
        typeof item === 'string'
          ? { sku: item, name: `Item ${item}`, quantity: 1, price: 10 }
          : { sku: item[0], name: `Item ${item[0]}`, quantity: 1, price: item[1] },
      ),
    },
  });
  return event;
}
