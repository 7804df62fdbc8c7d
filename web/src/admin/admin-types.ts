import type { TicketFilters } from '../inbox/views.ts';

export type Permissions = { update: boolean; delete: boolean };

export type CannedResponse = {
  id: string;
  title: string;
  body: string;
  shortcut: string | null;
  shared: boolean;
  ownerId: string | null;
  usageCount: number;
  createdAt: string;
  updatedAt: string;
  permissions: Permissions;
};

export type ViewDefinition = {
  id: string;
  name: string;
  filters: TicketFilters;
  shared: boolean;
  ownerId: string | null;
  position: number;
  count: number;
  countCapped: boolean;
  createdAt: string;
  permissions: Permissions;
};

export type ApiToken = { id: string; name: string; createdAt: string; lastUsedAt: string | null };

export type Webhook = {
  id: string;
  url: string;
  events: string[];
  description: string;
  active: boolean;
  createdAt: string;
};

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export type Delivery = {
  id: string;
  webhookId: string;
  eventId: number;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastResponseMs: number | null;
  lastError: string | null;
  createdAt: string;
  completedAt: string | null;
};

export type Onboarding = {
  empty: boolean;
  checklist: { key: 'channel' | 'agents' | 'demo'; done: boolean }[];
};

export type DemoSeedResult = {
  tickets: number;
  messages: number;
  customers: number;
  teams: number;
  agents: { name: string; email: string }[];
  password: string;
};

/** The event types a webhook may subscribe to, as the server's webhook-service lists them. */
export const webhookEventTypes = [
  'ticket.created',
  'ticket.updated',
  'ticket.merged',
  'ticket.linked',
  'ticket.unlinked',
  'message.created',
  'customer.created',
  'customer.updated',
  'customer.merged',
  'email.delivery_updated',
] as const;
