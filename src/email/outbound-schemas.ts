import { z } from 'zod';
import type { OutboundRow } from './outbound-queue.ts';
import { isRelayHost, type RelayView } from './outbound-relay.ts';
import type { RelayTestResult } from './outbound-service.ts';

export const relayBody = z.strictObject({
  host: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .refine(isRelayHost, 'must be a host name or an IP address')
    .describe('SMTP relay host name or IP address'),
  port: z.int().min(1).max(65535).describe('587 for STARTTLS, 465 for TLS from the start'),
  secure: z.boolean().optional().describe('TLS from the first byte; defaults to true on port 465'),
  username: z.string().max(320).nullable().optional(),
  password: z
    .string()
    .max(1000)
    .nullable()
    .optional()
    .describe(
      'Write-only. Left out: the stored password stays, as long as host and username stay the same; null removes it',
    ),
});

export const relaySchema = z.object({
  relay: z
    .object({
      host: z.string(),
      port: z.number(),
      secure: z.boolean(),
      username: z.string().nullable(),
      hasPassword: z.boolean(),
      updatedAt: z.string(),
    })
    .nullable()
    .describe("The workspace's own relay; null when it has none"),
  usesDefaultRelay: z
    .boolean()
    .describe("Without a relay of its own, the install's RAPPORT_SMTP_RELAY_URL sends"),
});

export const presentRelay = (view: RelayView): z.infer<typeof relaySchema> => ({
  relay: view.relay ? { ...view.relay, updatedAt: view.relay.updatedAt.toISOString() } : null,
  usesDefaultRelay: view.usesDefaultRelay,
});

export const relayTestSchema = z.object({
  ok: z.boolean(),
  error: z.string().nullable().describe("The relay's answer when it refused, e.g. 535 authentication failed"),
  source: z.enum(['workspace', 'environment']),
}) satisfies z.ZodType<RelayTestResult>;

export const deliverySchema = z.object({
  id: z.string(),
  kind: z.enum(['reply', 'notification']),
  ticketId: z.string().nullable(),
  messageId: z.string().nullable().describe('The public reply this email carries; null for notifications'),
  messageIdHeader: z.string(),
  status: z.enum(['queued', 'sent', 'failed', 'bounced']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable().describe('When a queued email is tried next'),
  sentAt: z.string().nullable(),
  bouncedAt: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string(),
  createdAt: z.string(),
});

export const presentDelivery = (row: OutboundRow): z.infer<typeof deliverySchema> => ({
  id: row.id,
  kind: row.kind,
  ticketId: row.ticketId,
  messageId: row.messageId,
  messageIdHeader: row.messageIdHeader,
  status: row.status,
  attempts: row.attempts,
  lastError: row.lastError,
  nextAttemptAt: row.status === 'queued' ? row.nextAttemptAt.toISOString() : null,
  sentAt: row.sentAt?.toISOString() ?? null,
  bouncedAt: row.bouncedAt?.toISOString() ?? null,
  to: row.toAddresses,
  cc: row.ccAddresses,
  subject: row.subject,
  createdAt: row.createdAt.toISOString(),
});

export const notificationPrefsSchema = z.strictObject({
  ticketAssigned: z.boolean().describe('Email me when someone else assigns a ticket to me'),
  customerReplied: z.boolean().describe('Email me when the customer writes on a ticket assigned to me'),
  weeklySummary: z
    .boolean()
    .optional()
    .describe("Admins: email me last week's key figures every Monday (on unless turned off)"),
});
