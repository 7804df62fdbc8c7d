import { z } from 'zod';
import type { Mailbox } from './imap-mailbox-service.ts';
import type { PollOutcome } from './imap-poller.ts';

const host = z.string().trim().min(1).max(253).describe('Host name or IP address of the IMAP server');
const port = z.number().int().min(1).max(65535).describe('993 with secure, 143 without, unless given');
const secure = z
  .boolean()
  .describe('true: TLS from the first byte; false: STARTTLS when the server offers it');
const username = z.string().trim().min(1).max(320);
const password = z.string().min(1).max(1000).describe('Write-only: stored encrypted, never returned');
const folder = z.string().trim().min(1).max(255).describe('The folder polled; INBOX unless given');
const teamId = z.uuid().nullable().describe('The team new tickets from this mailbox go to');

export const createMailboxBody = z.strictObject({
  host,
  port: port.optional(),
  secure: secure.optional(),
  username,
  password,
  folder: folder.optional(),
  teamId: teamId.optional(),
  active: z.boolean().optional(),
});

export const updateMailboxBody = z.strictObject({
  host: host.optional(),
  port: port.optional(),
  secure: secure.optional(),
  username: username.optional(),
  password: password.optional(),
  folder: folder.optional(),
  teamId: teamId.optional(),
  active: z.boolean().optional(),
});

export const mailboxSchema = z.object({
  id: z.string(),
  host: z.string(),
  port: z.number(),
  secure: z.boolean(),
  username: z.string(),
  folder: z.string(),
  teamId: z.string().nullable(),
  active: z.boolean(),
  uidValidity: z.number().nullable(),
  lastUid: z.number().describe('The last UID taken in from the folder'),
  lastPolledAt: z.string().nullable(),
  lastError: z
    .string()
    .nullable()
    .describe('Why the last poll failed (or what it left behind); null when fine'),
  createdAt: z.string(),
});

export const pollResultSchema = z.object({
  taken: z.number().describe('Messages taken in by this poll'),
  counts: z.object({
    stored: z.number(),
    duplicate: z.number(),
    bounce: z.number(),
    quarantined: z.number(),
  }),
  skipped: z.number().describe('Messages over the size limit, left in the mailbox'),
  error: z.string().nullable(),
  mailbox: mailboxSchema,
});

export const presentMailbox = (mailbox: Mailbox) => ({
  id: mailbox.id,
  host: mailbox.host,
  port: mailbox.port,
  secure: mailbox.secure,
  username: mailbox.username,
  folder: mailbox.folder,
  teamId: mailbox.teamId,
  active: mailbox.active,
  uidValidity: mailbox.uidValidity,
  lastUid: mailbox.lastUid,
  lastPolledAt: mailbox.lastPolledAt?.toISOString() ?? null,
  lastError: mailbox.lastError,
  createdAt: mailbox.createdAt.toISOString(),
});

export const presentPollResult = (outcome: PollOutcome, mailbox: Mailbox) => ({
  taken: outcome.taken,
  counts: outcome.counts,
  skipped: outcome.skipped,
  error: outcome.error,
  mailbox: presentMailbox(mailbox),
});
