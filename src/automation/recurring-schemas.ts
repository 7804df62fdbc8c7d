import { z } from 'zod';
import { emailSchema } from '../platform/http/schemas.ts';
import type { RecurringTicket } from './recurring-service.ts';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00 to 23:59');
const timeZone = z.string().min(1).max(100).describe('IANA time zone, e.g. Europe/Berlin');

export const ruleSchema = z
  .discriminatedUnion('frequency', [
    z.strictObject({ frequency: z.literal('daily'), time, timeZone }),
    z.strictObject({
      frequency: z.literal('weekly'),
      weekdays: z.array(z.number().int().min(0).max(6)).min(1).max(7).describe('0 is Sunday'),
      time,
      timeZone,
    }),
    z.strictObject({
      frequency: z.literal('monthly'),
      dayOfMonth: z
        .union([z.number().int().min(1).max(31), z.literal('last')])
        .describe("A day past a shorter month's end means its last day"),
      time,
      timeZone,
    }),
  ])
  .describe('When a ticket opens: a local time in the zone, the same across DST changes');

const templateSchema = z.strictObject({
  subject: z.string().trim().min(1).max(500),
  body: z.string().trim().min(1).max(50_000),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
  tags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  customFields: z.record(z.string().max(100), z.unknown()).optional(),
});

export const recurringBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  customer: z
    .union([
      z.strictObject({ id: z.uuid() }),
      z.strictObject({ email: emailSchema, name: z.string().trim().max(200).optional() }),
    ])
    .describe('By id, or by email (created when new)'),
  template: templateSchema.describe(
    'The ticket to open; subject and body take placeholders such as {{customer.first_name}} and {{date}}',
  ),
  assigneeId: z.uuid().nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  rule: ruleSchema,
  active: z.boolean().optional(),
});
export const recurringPatch = recurringBody.partial();

export const recurringSchema = z.object({
  id: z.string(),
  name: z.string(),
  active: z.boolean(),
  rule: ruleSchema,
  template: templateSchema,
  customerId: z.string(),
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  nextRunAt: z.string().nullable().describe('When the next ticket opens; null while switched off'),
  lastRunAt: z.string().nullable(),
  lastError: z.string().nullable().describe('Why the last run opened no ticket'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const openedSchema = z.object({
  ticket: z.object({ id: z.string(), number: z.number(), subject: z.string() }),
});

export const presentRecurring = (row: RecurringTicket) => ({
  id: row.id,
  name: row.name,
  active: row.active,
  rule: row.rule,
  template: row.template,
  customerId: row.customerId,
  assigneeId: row.assigneeId,
  teamId: row.teamId,
  nextRunAt: row.active ? row.nextRunAt.toISOString() : null,
  lastRunAt: row.lastRunAt?.toISOString() ?? null,
  lastError: row.lastError,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});
