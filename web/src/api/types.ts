import type { SlaSummary } from '../sla/sla-time.ts';

export type Role = 'admin' | 'agent' | 'light';
export type TicketStatus = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type Channel = 'email' | 'chat' | 'web' | 'api' | 'phone' | 'social';

export type Member = {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
};
export type Me = {
  user: Member;
  workspace: { id: string; name: string; slug: string };
  workspaces: { id: string; name: string; slug: string; role: Role }[];
};

export type Ticket = {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: Priority;
  channel: Channel;
  customer: { id: string; name: string; email: string | null };
  assigneeId: string | null;
  teamId: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
  mergedIntoId: string | null;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
  firstResponseAt: string | null;
  solvedAt: string | null;
  closedAt: string | null;
  /** The customer's mood from their latest messages; null before any was scored. */
  mood: {
    label: 'negative' | 'neutral' | 'positive';
    trend: 'improving' | 'steady' | 'worsening';
    frustration: number;
    urgency: number;
  } | null;
  permissions: { update: boolean; reply: boolean; note: boolean; merge: boolean };
  /** In list answers only: the nearest open SLA clock, null without one. */
  sla?: SlaSummary | null;
};

export type TicketPage = { data: Ticket[]; nextCursor: string | null };

export type Message = {
  id: string;
  ticketId: string;
  kind: 'customer_message' | 'public_reply' | 'internal_note';
  author: { type: 'user' | 'customer' | 'system'; id: string | null; name: string | null };
  channel: Channel;
  body: string;
  html: string | null;
  attachments: { name: string; contentType: string; size: number; url?: string }[];
  channelMeta: Record<string, unknown>;
  createdAt: string;
};

export type TicketEvent = {
  id: number;
  type: string;
  actorUserId: string | null;
  changes: Record<string, unknown>;
  createdAt: string;
};

export type Counts = {
  unsolved: number;
  unassigned: number;
  mine: number;
  byStatus: Record<TicketStatus, number>;
  byTeam: Record<string, number>;
  byAssignee: Record<string, number>;
};

export type Team = { id: string; name: string; description: string; memberIds: string[]; createdAt: string };
export type Tag = { name: string; color: string | null; createdAt: string };
export type Customer = {
  id: string;
  name: string;
  companyId: string | null;
  language: string | null;
  timeZone: string | null;
  tags: string[];
  customAttributes: Record<string, unknown>;
  notes: string;
  /** A service level such as "vip"; null without one. */
  tier: string | null;
  consentMarketing: boolean;
  consentProactive: boolean;
  identities: { kind: 'email' | 'phone' | 'external_id' | 'visitor_id'; value: string }[];
  email: string | null;
  phone: string | null;
  mergedIntoId: string | null;
  createdAt: string;
  updatedAt: string;
};
export type FieldDefinition = {
  id: string;
  entity: 'ticket' | 'customer';
  key: string;
  label: string;
  type: 'text' | 'number' | 'boolean' | 'date' | 'select';
  options: string[];
  required: boolean;
};
