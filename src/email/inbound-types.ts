import type { Deps } from '../platform/deps.ts';

/** Where a raw message came in: the SMTP server, an IMAP mailbox, or the inbound webhook. */
export type IntakeSource = 'smtp' | 'imap' | 'api';

export type IntakeInput = {
  raw: Buffer;
  source: IntakeSource;
  /** SMTP envelope recipients (RCPT TO); without them the To / Cc / Delivered-To headers decide. */
  recipients?: string[] | undefined;
  /** SMTP MAIL FROM; an empty one (`<>`) marks a bounce. */
  envelopeFrom?: string | undefined;
  /** Known already for IMAP mailboxes and the API; otherwise the recipient decides. */
  workspaceId?: string | undefined;
  /** The team new tickets go to (a mailbox's or an address's team). */
  teamId?: string | null | undefined;
  /** An admin released it from the quarantine: the sender's hourly limit does not apply. */
  skipSenderLimit?: boolean | undefined;
};

/**
 * What became of a message. Every outcome is committed before intakeEmail resolves, so the caller may
 * acknowledge it (SMTP 250, IMAP advancing its UID, HTTP 2xx). intakeEmail rejects only when nothing could
 * be stored (the database is down): then the caller must not acknowledge.
 */
export type IntakeResult =
  | {
      status: 'stored';
      workspaceId: string;
      ticketId: string;
      messageId: string;
      /** A new ticket, rather than a reply threaded into an existing one. */
      created: boolean;
      autoReply: boolean;
    }
  | { status: 'duplicate'; workspaceId: string; ticketId: string }
  | { status: 'bounce'; workspaceId: string; outboundEmailId: string | null }
  | { status: 'quarantined'; workspaceId: string; reason: string };

export type IntakeDeps = Pick<Deps, 'db' | 'storage' | 'config' | 'clock' | 'logger'> & {
  /** Counts messages by source and outcome for /metrics when given. */
  metrics?: Deps['metrics'] | undefined;
};

/**
 * The email facts kept on each inbound message as `channelMeta.email`; outbound replies thread from them
 * and the console shows them.
 */
export type InboundEmailMeta = {
  inboundEmailId: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  from: { address: string; name: string };
  to: string[];
  cc: string[];
  /** The support address it was sent to (an email_addresses row's address), when one matched. */
  recipient: string | null;
  subject: string;
  date: string | null;
  autoReply: boolean;
  /**
   * Where the quoted history (and signature) starts in the message's plain text, so a display can fold
   * it away while the full text stays; null when there is none.
   */
  quoteStart: number | null;
};
