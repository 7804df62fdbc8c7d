import { z } from 'zod';

const code = z.string().trim().min(1).max(200);
const amount = z.number().finite().min(-1e11).max(1e11);
const currency = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code')
  .transform((c) => c.toUpperCase());

export const orderItemSchema = z.object({
  sku: code,
  name: z.string().trim().max(500).optional(),
  quantity: z.number().int().min(-1_000_000).max(1_000_000).default(1),
  price: amount.optional(),
});
export type OrderItem = z.infer<typeof orderItemSchema>;

/** Orders carry their items, which recommendations learn from; the total defaults to their sum. */
const orderData = z.looseObject({
  number: code,
  total: amount.optional(),
  currency: currency.optional(),
  items: z.array(orderItemSchema).min(1).max(1000),
});
const shipmentData = z.looseObject({
  order_number: code,
  carrier: z.string().max(200).optional(),
  tracking_number: z.string().max(200).optional(),
  expected_at: z.iso.datetime({ offset: true }).optional(),
});
const paymentData = z.looseObject({
  order_number: code.optional(),
  amount,
  currency: currency.optional(),
  status: z.string().max(100).optional(),
});
const freeData = z.record(z.string().max(200), z.unknown());

/** The typed families of business events; any other type is free-form. */
export function dataSchemaFor(type: string) {
  if (type === 'order.placed' || type === 'order.updated') return orderData;
  if (type.startsWith('shipment.')) return shipmentData;
  if (type.startsWith('payment.')) return paymentData;
  return freeData;
}

export const eventBody = z.strictObject({
  id: z.string().trim().min(1).max(200).optional(),
  customer: z
    .strictObject({
      email: z.string().trim().max(320).optional(),
      phone: z.string().trim().max(64).optional(),
      external_id: z.string().trim().max(255).optional(),
      name: z.string().trim().max(200).optional(),
    })
    .refine((c) => c.email || c.phone || c.external_id, 'needs an email, phone or external_id'),
  type: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, 'must look like order.placed')
    .max(100),
  occurred_at: z.iso.datetime({ offset: true }).optional(),
  data: z.record(z.string().max(200), z.unknown()).default({}),
});
export type EventBody = z.infer<typeof eventBody>;

export const eventSchema = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  customerId: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  orderNumber: z.string().nullable(),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
