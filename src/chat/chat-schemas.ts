import { z } from 'zod';

const hhmm = z.string().regex(/^\d\d:\d\d$/);

export const officeHoursSchema = z.object({
  timeZone: z.string().min(1).max(100),
  days: z.record(z.string(), z.array(z.tuple([hhmm, hhmm])).max(4)),
});

const preChatSchema = z.object({
  enabled: z.boolean(),
  fields: z
    .array(
      z.object({
        key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
        label: z.string().min(1).max(100),
        required: z.boolean(),
      }),
    )
    .max(10),
});

export const settingsSchema = z.object({
  enabled: z.boolean(),
  brandColor: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  title: z.string().max(100),
  greeting: z.string().max(500),
  avatarUrls: z.array(z.url().max(1000)).max(5),
  officeHours: officeHoursSchema.nullable(),
  replyTime: z.string().max(200),
  offlineMessage: z.string().max(500),
  preChatForm: preChatSchema,
  requireIdentity: z.boolean(),
});

export const settingsPatch = settingsSchema.partial().strict();

export const widgetConfigSchema = z.object({
  workspace: z.object({ id: z.string(), name: z.string() }),
  brandColor: z.string(),
  title: z.string(),
  greeting: z.string(),
  avatarUrls: z.array(z.string()),
  online: z.boolean(),
  replyTime: z.string(),
  offlineMessage: z.string(),
  preChatForm: preChatSchema,
  limits: z.object({ maxMessageChars: z.number() }),
});

export const workspaceQuery = z.object({ workspace: z.string().min(1).max(100) });

export const chatMessageSchema = z.object({
  conversationId: z.string(),
  seq: z.number(),
  id: z.string(),
  sender: z.enum(['visitor', 'agent']),
  text: z.string(),
  attachments: z.array(
    z.object({ name: z.string(), contentType: z.string(), size: z.number(), url: z.string().nullable() }),
  ),
  author: z.string().nullable(),
  clientId: z.string().nullable(),
  createdAt: z.string(),
  bot: z.object({ kind: z.string(), attemptId: z.string() }).optional(),
});

export const conversationSchema = z.object({
  id: z.string(),
  number: z.number(),
  status: z.string(),
  lastSeq: z.number(),
  visitorReadSeq: z.number(),
  agentReadSeq: z.number(),
  createdAt: z.string(),
});

export const conversationStateSchema = z.object({
  ticketId: z.string(),
  visitorId: z.string(),
  customerId: z.string(),
  lastSeq: z.number(),
  visitorReadSeq: z.number(),
  agentReadSeq: z.number(),
  online: z.boolean(),
  pageUrl: z.string().nullable(),
  pageTitle: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
});
