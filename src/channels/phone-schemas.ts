import { z } from 'zod';
import { type CallLog, callOutcomes } from './call-service.ts';
import { type CallbackRow, LOCAL_TIME_PATTERN } from './callback-service.ts';

export const callSchema = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  number: z.string(),
  durationSeconds: z.number(),
  outcome: z.string(),
  recordingUrl: z.string().nullable(),
  notes: z.string(),
  customerId: z.string(),
  ticketId: z.string().nullable(),
  messageId: z.string().nullable(),
  userId: z.string().nullable(),
  provider: z.enum(['twilio']).nullable(),
  startedAt: z.string(),
});

export const logCallBody = z.strictObject({
  direction: z.enum(['inbound', 'outbound']),
  number: z.string().min(3).max(40),
  durationSeconds: z.number().int().min(0).max(86_400).optional(),
  outcome: z.enum(callOutcomes),
  recordingUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .optional(),
  notes: z.string().max(20_000).optional(),
  customerId: z.uuid().optional(),
  customerName: z.string().max(200).optional(),
  ticketId: z.uuid().optional(),
  startedAt: z.iso.datetime({ offset: true }).optional(),
});

export const presentCall = (call: CallLog) => ({
  id: call.id,
  direction: call.direction,
  number: call.number,
  durationSeconds: call.durationSeconds,
  outcome: call.outcome,
  recordingUrl: call.recordingUrl,
  notes: call.notes,
  customerId: call.customerId,
  ticketId: call.ticketId,
  messageId: call.messageId,
  userId: call.userId,
  provider: call.providerCallId ? ('twilio' as const) : null,
  startedAt: call.startedAt.toISOString(),
});

export const callbackSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  ticketId: z.string().nullable(),
  phone: z.string(),
  preferredAt: z.string(),
  timeZone: z.string(),
  notes: z.string(),
  status: z.enum(['pending', 'done', 'cancelled']),
  createdAt: z.string(),
});

export const callbackBody = z.strictObject({
  phone: z.string().min(3).max(40),
  name: z.string().max(200).optional(),
  preferredTime: z
    .string()
    .regex(LOCAL_TIME_PATTERN)
    .describe("The wall-clock time the customer asked for, read in `timeZone` (else the customer's own)."),
  timeZone: z.string().max(64).optional(),
  notes: z.string().max(5000).optional(),
});

export const presentCallback = (row: CallbackRow) => ({
  id: row.id,
  customerId: row.customerId,
  ticketId: row.ticketId,
  phone: row.phone,
  preferredAt: row.preferredAt.toISOString(),
  timeZone: row.timeZone,
  notes: row.notes,
  status: row.status,
  createdAt: row.createdAt.toISOString(),
});
