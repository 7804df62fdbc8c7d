import { z } from 'zod';
import {
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookSubscription,
  webhookEventTypes,
} from './webhook-service.ts';

const eventType = z.enum([...webhookEventTypes, '*']);
const url = z.string().trim().min(1).max(2000).describe('http or https URL that receives POSTed events');
const secret = z
  .string()
  .min(16)
  .max(256)
  .describe('Key for the x-rapport-signature HMAC; generated when left out');

export const createWebhookBody = z.strictObject({
  url,
  events: z.array(eventType).min(1).max(50),
  description: z.string().max(500).optional(),
  secret: secret.optional(),
  active: z.boolean().optional(),
});

export const updateWebhookBody = z.strictObject({
  url: url.optional(),
  events: z.array(eventType).min(1).max(50).optional(),
  description: z.string().max(500).optional(),
  secret: secret.optional(),
  active: z.boolean().optional(),
});

const deliveryStatus = z.enum(['pending', 'succeeded', 'failed']);

export const listDeliveriesQuery = z.strictObject({
  status: deliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const deliveryParams = z.strictObject({ id: z.uuid(), deliveryId: z.uuid() });

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
});

export const createdWebhookSchema = webhookSchema.extend({
  secret: z.string().describe('Shown only in this response; store it to verify signatures'),
});

export const deliverySchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.number(),
  eventType: z.string(),
  status: deliveryStatus,
  attempts: z.number(),
  nextAttemptAt: z.string().nullable().describe('When the next try is due; null once finished'),
  lastStatusCode: z.number().nullable(),
  lastResponseMs: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});

export const deliveryDetailSchema = deliverySchema.extend({
  payload: z.record(z.string(), z.unknown()),
  history: z.array(
    z.object({
      attemptedAt: z.string(),
      statusCode: z.number().nullable(),
      responseMs: z.number(),
      error: z.string().nullable(),
    }),
  ),
});

export const presentWebhook = (webhook: WebhookSubscription) => ({
  id: webhook.id,
  url: webhook.url,
  events: webhook.events,
  description: webhook.description,
  active: webhook.active,
  createdAt: webhook.createdAt.toISOString(),
});

export const presentDelivery = (delivery: WebhookDelivery) => ({
  id: delivery.id,
  webhookId: delivery.subscriptionId,
  eventId: delivery.eventId,
  eventType: delivery.eventType,
  status: delivery.status,
  attempts: delivery.attempts,
  nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
  lastStatusCode: delivery.lastStatusCode,
  lastResponseMs: delivery.lastResponseMs,
  lastError: delivery.lastError,
  createdAt: delivery.createdAt.toISOString(),
  completedAt: delivery.completedAt?.toISOString() ?? null,
});

export const presentDeliveryDetail = (delivery: WebhookDelivery & { history: WebhookAttempt[] }) => ({
  ...presentDelivery(delivery),
  payload: delivery.payload,
  history: delivery.history.map((attempt) => ({
    attemptedAt: attempt.attemptedAt.toISOString(),
    statusCode: attempt.statusCode,
    responseMs: attempt.responseMs,
    error: attempt.error,
  })),
});
