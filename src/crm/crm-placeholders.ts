import { and, eq } from 'drizzle-orm';
import type { TemplateValues } from '../canned/canned-template.ts';
import { companies, customerIdentities, customers } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import { latestOrder } from './profile-service.ts';

const text = (value: unknown): string | null => {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return null;
};

const money = (amount: number | null, currency: string | null) =>
  amount === null ? null : `${amount.toFixed(2)}${currency ? ` ${currency}` : ''}`;

/**
 * Placeholder values from the customer's profile and latest order: `customer.tier`, `customer.phone`,
 * `customer.company`, `customer.language`, each custom attribute as `customer.KEY`, and `order.number`,
 * `order.total`, `order.date`, `order.items`, `order.status` plus any scalar field of the order's data as
 * `order.KEY`. Unknown values are absent, so renderTemplate's fallbacks and `missing` apply.
 */
export async function customerTemplateValues(
  db: Db,
  workspaceId: string,
  customerId: string,
): Promise<TemplateValues> {
  const [row] = await db
    .select({ customer: customers, company: companies.name })
    .from(customers)
    .leftJoin(companies, eq(companies.id, customers.companyId))
    .where(and(eq(customers.id, customerId), eq(customers.workspaceId, workspaceId)));
  if (!row) return {};
  const values: TemplateValues = {};
  for (const [key, value] of Object.entries(row.customer.customAttributes))
    values[`customer.${key.toLowerCase()}`] = text(value);
  const [phone] = await db
    .select({ value: customerIdentities.value })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.customerId, customerId), eq(customerIdentities.kind, 'phone')))
    .limit(1);
  Object.assign(values, {
    'customer.tier': row.customer.tier,
    'customer.phone': phone?.value ?? null,
    'customer.company': row.company,
    'customer.language': row.customer.language,
    'customer.time_zone': row.customer.timeZone,
  });
  const order = await latestOrder(db, workspaceId, customerId);
  if (order) {
    for (const [key, value] of Object.entries(order.data)) values[`order.${key.toLowerCase()}`] = text(value);
    const items = Array.isArray(order.data.items)
      ? (order.data.items as { name?: string; sku?: string }[])
      : [];
    Object.assign(values, {
      'order.number': order.orderNumber,
      'order.total': money(order.amount, order.currency),
      'order.currency': order.currency,
      'order.date': order.occurredAt.toISOString().slice(0, 10),
      'order.items':
        items
          .map((item) => item.name || item.sku)
          .filter(Boolean)
          .join(', ') || null,
    });
  }
  return values;
}
