import type { CustomerRef } from '../customers/identities.ts';
import type { AccountKind, SendingAccount } from './account-service.ts';
import type { HttpOptions } from './channel-http.ts';

/** A file a platform message carries, fetched only when the message is new to us. */
export type InboundFile = { name: string; contentType: string; fetch: () => Promise<Buffer> };

/** One platform message, as every adapter reads it from its webhook. */
export type InboundMessage = {
  /** The conversation on the platform (a chat id, a WhatsApp number): one thread, one open ticket. */
  threadId: string;
  /** The platform's id of the message: a retried webhook finds it and stores nothing twice. */
  externalId: string;
  customer: CustomerRef;
  text: string;
  files: InboundFile[];
};

export type DeliveryState = 'sent' | 'delivered' | 'read' | 'failed';
export type StatusUpdate = { externalId: string; status: DeliveryState; error?: string | undefined };

export type Parsed = { messages: InboundMessage[]; statuses: StatusUpdate[] };

/** A file of an agent's reply, read from storage, for the platform to carry as media. */
export type OutboundFile = { name: string; contentType: string; bytes: Buffer };

export type OutboundText = { threadId: string; messageId: string; text: string; files: OutboundFile[] };

/** What adapters need to reach a platform: deadlines and whether loopback targets are allowed. */
export type Reach = Pick<HttpOptions, 'timeoutMs' | 'allowPrivate'>;

export interface MessagingAdapter {
  kind: AccountKind;
  /**
   * Sends an agent's reply, its text and then each file as the platform's media; resolves to the
   * platform's id of the first message sent, which its statuses will name.
   */
  send(account: SendingAccount, message: OutboundText, reach: Reach): Promise<{ externalId: string | null }>;
}
