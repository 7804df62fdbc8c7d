import { createHash } from 'node:crypto';
import { type AddressObject, type Attachment, type ParsedMail, simpleParser } from 'mailparser';

export type ParsedAddress = { address: string; name: string };

export type ParsedPart = {
  filename: string;
  contentType: string;
  content: Buffer;
  /** Set for parts the HTML shows inline (`cid:`), which are not listed as files. */
  contentId: string | null;
};

/** One inbound message reduced to what the pipeline decides on. */
export type ParsedInbound = {
  /** The Message-ID in angle brackets; a hash of the raw source when the sender gave none. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  from: ParsedAddress | null;
  to: string[];
  cc: string[];
  /** To, Cc and Delivered-To / X-Original-To: where the sender meant it to go. */
  headerRecipients: string[];
  subject: string;
  date: Date | null;
  text: string;
  html: string | null;
  parts: ParsedPart[];
  autoReply: boolean;
  /** A delivery status notification: a bounce of something we sent, not a customer writing. */
  bounce: { diagnostic: string; originalMessageIds: string[] } | null;
};

const lower = (value: string) => value.trim().toLowerCase();
// PostgreSQL text cannot hold NUL, and 8-bit junk decodes to it often enough.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is removed
const clean = (value: string) => value.replace(/\u0000/g, '');

function addressesOf(field: AddressObject | AddressObject[] | undefined): ParsedAddress[] {
  const objects = field ? (Array.isArray(field) ? field : [field]) : [];
  const found: ParsedAddress[] = [];
  const walk = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) walk(entry.group);
      else if (entry.address?.includes('@'))
        found.push({ address: clean(lower(entry.address)), name: clean(entry.name) });
    }
  };
  for (const object of objects) walk(object.value);
  return found;
}

const MESSAGE_ID = /<[^<>\s]+>/g;

/** Message-IDs in a header value, in angle brackets; bare ids (no brackets) are bracketed. */
export function messageIdsIn(value: string | string[] | undefined): string[] {
  const values = Array.isArray(value) ? value : value ? [value] : [];
  const found: string[] = [];
  for (const item of values) {
    const bracketed = item.match(MESSAGE_ID);
    if (bracketed) found.push(...bracketed);
    else if (item.trim() && !/\s/.test(item.trim())) found.push(`<${item.trim()}>`);
  }
  return found.map((id) => id.slice(0, 995));
}

function headerText(mail: ParsedMail, name: string): string {
  const value = mail.headers.get(name);
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  return String(value);
}

/**
 * Auto-replies by the headers RFC 3834 and the common mailers set: answering them starts mail loops.
 * Mailer daemons count too: their mail is never a person's.
 */
function isAutomatic(mail: ParsedMail, from: ParsedAddress | null): boolean {
  const autoSubmitted = lower(headerText(mail, 'auto-submitted'));
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond')) return true;
  if (/^(bulk|auto_reply|junk|list)$/.test(lower(headerText(mail, 'precedence')))) return true;
  if (lower(headerText(mail, 'x-auto-response-suppress')).includes('all')) return true;
  return from !== null && /^(mailer-daemon|postmaster|no-?reply)@/.test(from.address);
}

/** RFC 3464 delivery reports, and the older bounces that only the sender's name gives away. */
function bounceOf(
  mail: ParsedMail,
  raw: Buffer,
  from: ParsedAddress | null,
  envelopeFrom: string | undefined,
) {
  const contentType = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> };
  const isReport =
    contentType?.value === 'multipart/report' &&
    lower(contentType.params?.['report-type'] ?? '') === 'delivery-status';
  const fromDaemon = from !== null && /^(mailer-daemon|postmaster)@/.test(from.address);
  const nullSender = envelopeFrom !== undefined && envelopeFrom.trim() === '';
  if (!isReport && !fromDaemon && !nullSender) return null;
  // The original's Message-ID sits in the returned headers (message/rfc822 or text/rfc822-headers part).
  const body = raw.toString('latin1');
  const headerEnd = body.search(/\r?\n\r?\n/);
  const rest = headerEnd >= 0 ? body.slice(headerEnd) : '';
  const originals = [...rest.matchAll(/^Message-ID:\s*(<[^<>\s]+>)/gim)].map((match) => match[1]!);
  const diagnostic =
    rest.match(/^Diagnostic-Code:\s*(.+(?:\r?\n[ \t].+)*)/im)?.[1]?.replace(/\s+/g, ' ') ??
    rest.match(/^Status:\s*(\d\.\d+\.\d+)/im)?.[1] ??
    mail.subject ??
    'Delivery failed';
  const originalMessageIds = [
    ...new Set([...originals, ...messageIdsIn(mail.inReplyTo), ...messageIdsIn(mail.references)]),
  ];
  return { diagnostic: diagnostic.slice(0, 1000), originalMessageIds };
}

const partOf = (attachment: Attachment): ParsedPart => ({
  filename:
    attachment.filename ?? (attachment.contentType === 'message/rfc822' ? 'message.eml' : 'attachment'),
  contentType: attachment.contentType,
  content: attachment.content,
  contentId: attachment.related && attachment.cid ? attachment.cid : null,
});

/**
 * Parses raw MIME with a best-effort decode of any charset mailparser knows (it falls back to raw
 * bytes for one it does not). Throws only when the source is not a message at all; the caller
 * quarantines it then.
 */
export async function parseInbound(raw: Buffer, envelopeFrom?: string): Promise<ParsedInbound> {
  const mail = await simpleParser(raw, { keepCidLinks: true, skipTextToHtml: true });
  const from = addressesOf(mail.from)[0] ?? null;
  const to = addressesOf(mail.to).map((a) => a.address);
  const cc = addressesOf(mail.cc).map((a) => a.address);
  const delivered = ['delivered-to', 'x-original-to', 'envelope-to']
    .map((name) => headerText(mail, name))
    .flatMap((value) => value.split(','))
    .map(lower)
    .filter((value) => value.includes('@'))
    .map((value) => value.replace(/^.*<|>.*$/g, ''));
  const messageId =
    messageIdsIn(mail.messageId)[0] ??
    `<sha256.${createHash('sha256').update(raw).digest('hex')}@rapport.invalid>`;
  return {
    messageId,
    inReplyTo: messageIdsIn(mail.inReplyTo)[0] ?? null,
    references: messageIdsIn(mail.references),
    from,
    to,
    cc,
    headerRecipients: [...new Set([...to, ...cc, ...delivered])],
    subject: clean(mail.subject ?? '').trim(),
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    text: clean(mail.text ?? '')
      .replace(/\r\n/g, '\n')
      .trim(),
    html: typeof mail.html === 'string' && mail.html.trim() ? clean(mail.html) : null,
    parts: mail.attachments.map(partOf),
    autoReply: isAutomatic(mail, from),
    bounce: bounceOf(mail, raw, from, envelopeFrom),
  };
}
