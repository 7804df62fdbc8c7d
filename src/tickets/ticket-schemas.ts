import { z } from 'zod';
import { slaFilterStates } from '../automation/sla-summary-service.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { emailSchema } from '../platform/http/schemas.ts';
import type { MessageRow } from './message-service.ts';
import { ticketStatuses } from './ticket-counts.ts';
import { moodLabels, moodTrends, type TicketWithCustomer } from './ticket-queries.ts';

export const channels = ['email', 'chat', 'web', 'api', 'phone', 'social'] as const;
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
const tag = z.string().trim().min(1).max(100);
const customFields = z.record(z.string().max(100), z.unknown());

export const attachmentSchema = z.strictObject({
  name: z.string().min(1).max(255),
  contentType: z.string().min(1).max(255),
  size: z.number().int().nonnegative(),
  // Links to files kept elsewhere; only web addresses, so a javascript: URL can never reach the console.
  url: z.url({ protocol: /^https?$/ }).optional(),
});

const messageBody = {
  body: z.string().max(100_000).optional(),
  html: z.string().max(500_000).optional(),
  attachments: z.array(attachmentSchema).max(50).optional(),
};

export const createTicketBody = z.strictObject({
  subject: z.string().trim().min(1).max(500),
  customer: z.union([
    z.strictObject({ id: z.uuid() }),
    z
      .strictObject({
        email: emailSchema.optional(),
        phone: z
          .string()
          .trim()
          .regex(/^\+?[\d\s().-]{4,32}$/, 'must be a phone number')
          .optional(),
        externalId: z.string().trim().min(1).max(255).optional(),
        name: z.string().trim().max(200).optional(),
      })
      .refine((c) => c.email || c.phone || c.externalId, 'needs an email, phone or externalId'),
  ]),
  message: z.strictObject({ ...messageBody, kind: z.enum(['customer_message', 'public_reply']).optional() }),
  channel: z.enum(channels).optional(),
  priority: z.enum(priorities).optional(),
  status: z.enum(ticketStatuses).optional(),
  tags: z.array(tag).max(50).optional(),
  customFields: customFields.optional(),
  assigneeId: z.uuid().nullable().optional(),
  teamId: z.uuid().nullable().optional(),
});

export const updateTicketBody = z.strictObject({
  subject: z.string().trim().min(1).max(500).optional(),
  status: z.enum(ticketStatuses).optional(),
  priority: z.enum(priorities).optional(),
  assigneeId: z.uuid().nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  tags: z.array(tag).max(50).optional(),
  addTags: z.array(tag).max(50).optional(),
  removeTags: z.array(tag).max(50).optional(),
  customFields: customFields.optional(),
});

export const addMessageBody = z.strictObject({
  ...messageBody,
  kind: z.enum(['customer_message', 'public_reply', 'internal_note']).default('public_reply'),
  status: z.enum(ticketStatuses).optional(),
  lastSeenMessageId: z.uuid().optional(),
  attachmentIds: z.array(z.uuid()).min(1).max(50).optional(),
});

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)));

/** The filter part of the ticket list query; saved views store filters in this shape. */
export const ticketFilterQuery = z.strictObject({
  status: csv(ticketStatuses).optional(),
  priority: csv(priorities).optional(),
  channel: csv(channels).optional(),
  assignee: z.union([z.literal('me'), z.literal('none'), z.uuid()]).optional(),
  team: z.union([z.literal('none'), z.uuid()]).optional(),
  tag: z.string().max(100).optional(),
  customer: z.uuid().optional(),
  updated_since: z.iso
    .datetime({ offset: true })
    .transform((value) => new Date(value))
    .optional(),
  q: z.string().max(500).optional(),
  /** The ticket's current mood label, e.g. `negative`; tickets not scored yet never match. */
  sentiment: csv(moodLabels).optional(),
  /** Tickets with an open SLA clock past its due time, or due within the hour (`breaching`). */
  sla: z.enum(slaFilterStates).optional(),
  sort: z.enum(['last_activity', 'created', 'updated', 'priority']).default('last_activity'),
  order: z.enum(['asc', 'desc']).default('desc'),
});

export const listTicketsQuery = ticketFilterQuery.extend({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});

const permissionsSchema = z.object({
  update: z.boolean(),
  reply: z.boolean(),
  note: z.boolean(),
  merge: z.boolean(),
});

export const ticketSchema = z.object({
  id: z.string(),
  number: z.number(),
  subject: z.string(),
  status: z.enum(ticketStatuses),
  priority: z.enum(priorities),
  channel: z.enum(channels),
  customer: z.object({ id: z.string(), name: z.string(), email: z.string().nullable() }),
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), z.unknown()),
  mergedIntoId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastActivityAt: z.string(),
  firstResponseAt: z.string().nullable(),
  solvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  mood: z
    .object({
      label: z.enum(moodLabels),
      trend: z.enum(moodTrends),
      frustration: z.number(),
      urgency: z.number(),
    })
    .nullable()
    .describe(
      "The customer's mood from their latest messages (0-1 frustration and urgency); null before any",
    ),
  permissions: permissionsSchema,
});

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** What the current user may do next with the ticket, so the console hides what is not allowed. */
export function ticketPermissions(ticket: { status: string; mergedIntoId: string | null }, actor: Actor) {
  const live = ticket.status !== 'closed' && !ticket.mergedIntoId;
  const agent = actor.role !== 'light';
  return { update: live && agent, reply: live && agent, note: live, merge: live && agent };
}

export const presentTicket = (ticket: TicketWithCustomer, actor: Actor) => ({
  id: ticket.id,
  number: ticket.number,
  subject: ticket.subject,
  status: ticket.status,
  priority: ticket.priority,
  channel: ticket.channel,
  customer: ticket.customer,
  assigneeId: ticket.assigneeId,
  teamId: ticket.teamId,
  tags: ticket.tags,
  customFields: ticket.customFields,
  mergedIntoId: ticket.mergedIntoId,
  createdAt: ticket.createdAt.toISOString(),
  updatedAt: ticket.updatedAt.toISOString(),
  lastActivityAt: ticket.lastActivityAt.toISOString(),
  firstResponseAt: iso(ticket.firstResponseAt),
  solvedAt: iso(ticket.solvedAt),
  closedAt: iso(ticket.closedAt),
  mood: ticket.mood,
  permissions: ticketPermissions(ticket, actor),
});

export const messageSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  kind: z.enum(['customer_message', 'public_reply', 'internal_note']),
  author: z.object({
    type: z.enum(['user', 'customer', 'system']),
    id: z.string().nullable(),
    name: z.string().nullable(),
  }),
  channel: z.enum(channels),
  body: z.string(),
  html: z.string().nullable(),
  attachments: z.array(
    z.object({ name: z.string(), contentType: z.string(), size: z.number(), url: z.string().optional() }),
  ),
  channelMeta: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

export function presentMessage(
  message: MessageRow,
  names: { user?: string | null; customer?: string | null } = {},
) {
  const author = message.authorUserId
    ? { type: 'user' as const, id: message.authorUserId, name: names.user ?? null }
    : message.authorCustomerId
      ? { type: 'customer' as const, id: message.authorCustomerId, name: names.customer ?? null }
      : { type: 'system' as const, id: null, name: null };
  return {
    id: message.id,
    ticketId: message.ticketId,
    kind: message.kind,
    author,
    channel: message.channel,
    body: message.bodyText,
    html: message.bodyHtml,
    attachments: message.attachments.map(({ name, contentType, size, url }) => ({
      name,
      contentType,
      size,
      ...(url && { url }),
    })),
    channelMeta: message.channelMeta,
    createdAt: message.createdAt.toISOString(),
  };
}
