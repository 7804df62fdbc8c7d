import { randomUUID } from 'node:crypto';

/** How many Message-IDs a References header keeps: the thread's first and its latest ones. */
export const MAX_REFERENCES = 20;

const REPLY_PREFIX = /^\s*re(\[\d+\])?\s*:\s*/i;

/** "Re: <subject> [#<number>]": one "Re:", one ticket token, however the subject already looks. */
export function replySubject(subject: string, ticketNumber: number, opening = false): string {
  let base = subject.trim();
  while (REPLY_PREFIX.test(base)) base = base.replace(REPLY_PREFIX, '');
  const token = `[#${ticketNumber}]`;
  const tokened = base.includes(token) ? base : `${base} ${token}`.trim();
  // The first mail of a thread we start (an outbound ticket) answers nothing yet.
  return opening ? tokened : `Re: ${tokened}`;
}

/**
 * The References of a reply: every Message-ID of the ticket in order, but at most MAX_REFERENCES, keeping
 * the first (the thread's root) and the latest ones, as RFC 5322 advises for long threads.
 */
export function threadReferences(ids: string[], max = MAX_REFERENCES): string[] {
  const unique = [...new Set(ids)];
  if (unique.length <= max) return unique;
  return [unique[0]!, ...unique.slice(unique.length - (max - 1))];
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** `support@example.com` and ticket 42 → `support+42@example.com`: an answer to it names its ticket. */
export function plusAddress(address: string, ticketNumber: number): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${ticketNumber}${address.slice(at)}`;
}

/** A Message-ID Rapport owns: `<rapport.<id>@<domain of the From address>>`. */
export function outboundMessageId(fromAddress: string, id: string = randomUUID()): string {
  return `<rapport.${id}@${domainOf(fromAddress)}>`;
}

/** The base of a plus-address, lower-cased: `Support+42@Example.com` → `support@example.com`. */
export function baseAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  const local = lower.slice(0, at);
  const plus = local.indexOf('+');
  return plus === -1 ? lower : `${local.slice(0, plus)}${lower.slice(at)}`;
}

/**
 * Who stays on copy: the Cc of the customer's latest message, without our own support addresses
 * (plus-addresses included), without the To recipients, lower-cased and once each.
 */
export function replyCc(cc: readonly string[], ownAddresses: readonly string[], to: readonly string[]) {
  const excluded = new Set([...ownAddresses, ...to].map(baseAddress));
  const kept = new Set<string>();
  for (const address of cc) {
    const lower = address.trim().toLowerCase();
    if (!lower.includes('@') || excluded.has(baseAddress(lower))) continue;
    kept.add(lower);
  }
  return [...kept];
}

/** The From display name of a reply: "Agent Name (Brand)", or the brand alone without an agent name. */
export function fromName(agentName: string | null, brand: string): string {
  const agent = agentName?.trim();
  return agent ? `${agent} (${brand})` : brand;
}

/** Where mail goes out from when a workspace has no support address: support@<public host>. */
export function fallbackAddress(publicUrl: string | undefined): string {
  let host = 'localhost';
  if (publicUrl) {
    try {
      host = new URL(publicUrl).hostname || host;
    } catch {
      // Not a URL: the localhost fallback stands.
    }
  }
  return `support@${host}`;
}
