import type { Message } from '../api/types.ts';

/** The parts of an inbound email's `channelMeta.email` the timeline shows (InboundEmailMeta on the server). */
export type EmailMeta = {
  from: { address: string; name: string };
  to: string[];
  cc: string[];
  autoReply: boolean;
  quoteStart: number | null;
};

export type SkippedAttachment = { name: string; size: number; reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** The email facts of a message that came in by email; undefined for any other message. */
export function emailMetaOf(message: Message): EmailMeta | undefined {
  const email = message.channelMeta.email;
  if (!isRecord(email)) return undefined;
  const from = isRecord(email.from) ? email.from : {};
  return {
    from: {
      address: typeof from.address === 'string' ? from.address : '',
      name: typeof from.name === 'string' ? from.name : '',
    },
    to: strings(email.to),
    cc: strings(email.cc),
    autoReply: email.autoReply === true,
    quoteStart: typeof email.quoteStart === 'number' ? email.quoteStart : null,
  };
}

/** Attachments the intake did not keep (too large), with the reason it gave. */
export function skippedAttachmentsOf(message: Message): SkippedAttachment[] {
  const skipped = message.channelMeta.skippedAttachments;
  if (!Array.isArray(skipped)) return [];
  return skipped.filter(isRecord).map((item) => ({
    name: typeof item.name === 'string' ? item.name : '',
    size: typeof item.size === 'number' ? item.size : 0,
    reason: typeof item.reason === 'string' ? item.reason : '',
  }));
}

/** "Casey Customer <casey@example.com>", or the bare address when the sender gave no name. */
export const mailbox = (from: EmailMeta['from']) =>
  from.name && from.name !== from.address ? `${from.name} <${from.address}>` : from.address;

/**
 * The new part of a plain-text email and the quoted history after it, split at the intake's offset; no
 * quote when the offset is missing or would leave either side empty.
 */
export function splitQuote(body: string, quoteStart: number | null): { fresh: string; quoted: string } {
  if (quoteStart === null || quoteStart <= 0 || quoteStart >= body.length) return { fresh: body, quoted: '' };
  const fresh = body.slice(0, quoteStart).trimEnd();
  const quoted = body.slice(quoteStart);
  if (!fresh || !quoted.trim()) return { fresh: body, quoted: '' };
  return { fresh, quoted };
}
