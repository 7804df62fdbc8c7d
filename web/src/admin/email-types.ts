/** The email channel's admin records, as the /channels/email routes send them. */

export type SupportAddress = {
  id: string;
  address: string;
  displayName: string;
  teamId: string | null;
  isDefault: boolean;
  createdAt: string;
};

export type EmailStats = { received: number; stored: number; duplicates: number; quarantined: number };

export type Quarantined = {
  id: string;
  source: string;
  fromAddress: string | null;
  recipients: string[];
  subject: string | null;
  size: number;
  reason: string | null;
  createdAt: string;
};

export type IntakeOutcome = {
  status: 'stored' | 'duplicate' | 'bounce' | 'quarantined';
  ticketId: string | null;
  messageId: string | null;
  reason: string | null;
};

export type RelayView = {
  relay: {
    host: string;
    port: number;
    secure: boolean;
    username: string | null;
    hasPassword: boolean;
    updatedAt: string;
  } | null;
  usesDefaultRelay: boolean;
};

export type RelayTest = { ok: boolean; error: string | null; source: 'workspace' | 'environment' };

export type Mailbox = {
  id: string;
  host: string;
  port: number;
  secure: boolean;
  username: string;
  folder: string;
  teamId: string | null;
  active: boolean;
  lastPolledAt: string | null;
  lastError: string | null;
  createdAt: string;
};

export type PollResult = { taken: number; skipped: number; error: string | null; mailbox: Mailbox };

/** "help@acme.example on imap.acme.example/INBOX": how a mailbox is named in lists and notices. */
export const mailboxName = (mailbox: Pick<Mailbox, 'username' | 'host' | 'folder'>) =>
  `${mailbox.username} · ${mailbox.host}/${mailbox.folder}`;
