/** Triggers and SLA policies as the admin API sends them (src/automation/trigger-routes.ts, sla-schemas.ts). */

export type TriggerCondition = { field: string; op: string; value?: string; key?: string };
export type TriggerConditions = { all?: TriggerCondition[]; any?: TriggerCondition[] };
export type TriggerAction = { type: string } & Record<string, unknown>;

export type Trigger = {
  id: string;
  name: string;
  position: number;
  active: boolean;
  events: string[];
  conditions: TriggerConditions;
  actions: TriggerAction[];
};
export type TriggerInput = Omit<Trigger, 'id' | 'position' | 'active'> & { active?: boolean };

export type DryRun = {
  checked: number;
  matches: { ticketId: string; number: number; changes: Record<string, unknown>; effects: string[] }[];
};

export const triggerEvents = [
  'ticket.created',
  'ticket.updated',
  'message.created',
  'sla.warning',
  'sla.breached',
  'customer.event',
  'survey.answered',
  'time.elapsed',
] as const;

/** Condition fields the structured form offers; the rest (customer, business hours) go through JSON. */
export const conditionFields = [
  'subject',
  'message',
  'status',
  'priority',
  'channel',
  'tag',
  'messageKind',
  'custom_field',
  'hours_since_update',
  'hours_since_created',
  'sentiment',
  'urgency',
  'intent',
  'language',
  'business_event',
  'survey_score',
  'survey_kind',
] as const;
/** Fields compared as numbers (at least / less than); urgency also takes low, medium or high. */
export const hourFields = new Set(['hours_since_update', 'hours_since_created', 'urgency', 'survey_score']);
/** Fields that name a key: a custom field's, or (optionally) a field of the business event's data. */
export const keyedFields = new Set(['custom_field', 'business_event']);
export const textOps = ['is', 'is_not', 'contains', 'not_contains', 'matches', 'present', 'absent'] as const;
export const hourOps = ['at_least', 'less_than'] as const;
export const valuelessOps = new Set(['present', 'absent']);

/** Action types the structured form offers, by the one value each takes. */
export const actionKinds = {
  set_priority: 'priority',
  set_status: 'status',
  add_tags: 'tags',
  remove_tags: 'tags',
  note: 'body',
  reply: 'body',
  notify: 'body',
  escalate: 'none',
} as const;
export type ActionKind = keyof typeof actionKinds;

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export const statuses = ['open', 'pending', 'on_hold', 'solved'] as const;
export const channels = ['email', 'chat', 'web', 'api', 'phone', 'social'] as const;

export type Schedule = { id: string; name: string; timeZone: string };

export type SlaPolicy = {
  id: string;
  name: string;
  position: number;
  active: boolean;
  scheduleId: string | null;
  conditions: {
    priorities?: string[];
    channels?: string[];
    tags?: string[];
    tiers?: string[];
    teamIds?: string[];
  };
  firstReplyMinutes: number | null;
  nextReplyMinutes: number | null;
  resolutionMinutes: number | null;
  warnMinutes: number;
  pauseWhilePending: boolean;
};
export type SlaPolicyInput = Omit<SlaPolicy, 'id' | 'position'>;
