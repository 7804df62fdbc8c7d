import { z } from 'zod';
import type { OpenAccount } from './account-service.ts';
import { platformJson, platformRequest } from './channel-http.ts';
import { rapportSignature } from './messaging-signatures.ts';
import type { MessagingAdapter, Parsed, Reach } from './messaging-types.ts';

/** What a bridge posts to the generic channel's webhook. */
export const genericInbound = z.strictObject({
  messages: z
    .array(
      z.strictObject({
        conversationId: z
          .string()
          .min(1)
          .max(200)
          .describe('The conversation on your platform: one ticket while it is open.'),
        id: z
          .string()
          .min(1)
          .max(200)
          .describe('Your id of the message; a message sent twice is stored once.'),
        from: z.strictObject({
          id: z.string().min(1).max(200),
          name: z.string().max(200).optional(),
          email: z.email().max(320).optional(),
          phone: z.string().max(40).optional(),
        }),
        text: z.string().max(50_000).default(''),
        attachments: z
          .array(
            z.strictObject({
              url: z.url({ protocol: /^https?$/ }),
              name: z.string().max(255),
              contentType: z.string().max(255),
            }),
          )
          .max(10)
          .default([]),
      }),
    )
    .max(100)
    .default([]),
  statuses: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(200).describe('The id your platform answered our delivery with.'),
        status: z.enum(['sent', 'delivered', 'read', 'failed']),
        error: z.string().max(500).optional(),
      }),
    )
    .max(100)
    .default([]),
});

/** The body we POST to the bridge's outboundUrl, signed like the inbound side. */
export const genericOutbound = z.object({
  conversationId: z.string(),
  messageId: z
    .string()
    .describe("Rapport's message id: the same on a retry, so the bridge can drop repeats."),
  text: z.string(),
  attachments: z
    .array(
      z.object({
        name: z.string(),
        contentType: z.string(),
        size: z.number(),
        contentBase64: z.string().describe("The file's bytes, base64-encoded."),
      }),
    )
    .optional()
    .describe("The reply's files, when it has any."),
});

export function parseGeneric(
  account: OpenAccount,
  body: z.infer<typeof genericInbound>,
  reach: Reach,
): Parsed {
  return {
    messages: body.messages.map((message) => ({
      threadId: message.conversationId,
      externalId: message.id,
      customer: {
        externalId: `${account.id}:${message.from.id}`,
        email: message.from.email,
        phone: message.from.phone,
        name: message.from.name,
      },
      text: message.text,
      files: message.attachments.map((file) => ({
        name: file.name,
        contentType: file.contentType,
        async fetch() {
          const fetched = await platformRequest(file.url, { ...reach, maxBytes: 25 * 1024 * 1024 });
          if (fetched.status !== 200) throw new Error(`HTTP ${fetched.status} fetching the file`);
          return fetched.body;
        },
      })),
    })),
    statuses: body.statuses.map((status) => ({
      externalId: status.id,
      status: status.status,
      error: status.error,
    })),
  };
}

export const genericAdapter: MessagingAdapter = {
  kind: 'generic',
  async send(account, message, reach) {
    const body = JSON.stringify({
      conversationId: message.threadId,
      messageId: message.messageId,
      text: message.text,
      // The bridge cannot fetch our files (they need an agent's session): their bytes travel inline.
      ...(message.files.length > 0 && {
        attachments: message.files.map((file) => ({
          name: file.name,
          contentType: file.contentType,
          size: file.bytes.length,
          contentBase64: file.bytes.toString('base64'),
        })),
      }),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const answer = await platformJson<{ id?: unknown }>(account.settings.outboundUrl!, {
      ...reach,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Rapport-Messaging/1',
        'x-rapport-timestamp': timestamp,
        'x-rapport-signature': rapportSignature(account.secret, timestamp, body),
      },
      body,
    }).catch((error: unknown) => {
      // A bridge may answer 2xx with no JSON: delivered, without an id of its own.
      if (error instanceof SyntaxError) return { id: undefined };
      throw error;
    });
    return { externalId: typeof answer.id === 'string' ? answer.id : null };
  },
};
