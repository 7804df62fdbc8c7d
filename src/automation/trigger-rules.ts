import { z } from 'zod';
import type { TriggerAction, TriggerConditions } from '../db/schema/index.ts';
import { conditionsHold, type TriggerFacts } from './trigger-conditions.ts';

export {
  conditionSchema,
  conditionsHold,
  conditionsSchema,
  type TriggerFacts,
} from './trigger-conditions.ts';

type TicketLike = Omit<TriggerFacts, 'event' | 'message'>;

export const factsOf = (
  ticket: TicketLike,
  event: string,
  message: TriggerFacts['message'],
): TriggerFacts => ({
  event,
  status: ticket.status,
  priority: ticket.priority,
  channel: ticket.channel,
  teamId: ticket.teamId,
  assigneeId: ticket.assigneeId,
  tags: ticket.tags,
  subject: ticket.subject,
  message,
});

/** `time.elapsed` is no domain event: a scheduled scan offers every open ticket to those triggers. */
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

const priorities = ['low', 'normal', 'high', 'urgent'] as const;
const priority = z.enum(priorities);
const status = z.enum(['open', 'pending', 'on_hold', 'solved']);
// Stored as tickets store tags, so a rule compares like with like.
const tagList = z
  .array(z.string().trim().min(1).max(100))
  .min(1)
  .max(20)
  .transform((tags) => tags.map((tag) => tag.toLowerCase().replace(/\s+/g, '-')));
const text = z.string().trim().min(1).max(10_000);
export const actionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('set_priority'), value: priority }),
  z.strictObject({ type: z.literal('set_status'), value: status }),
  z.strictObject({ type: z.literal('set_team'), value: z.uuid().nullable() }),
  z.strictObject({ type: z.literal('assign'), value: z.uuid().nullable() }),
  z.strictObject({ type: z.literal('add_tags'), tags: tagList }),
  z.strictObject({ type: z.literal('remove_tags'), tags: tagList }),
  z.strictObject({
    type: z.literal('set_custom_field'),
    key: z.string().trim().min(1).max(100),
    value: z.string().max(1000).nullable(),
  }),
  // One priority step up, and to another team when one is named.
  z.strictObject({ type: z.literal('escalate'), teamId: z.uuid().nullable().optional() }),
  // Picks an available agent under capacity, in the named team or the ticket's (any agent without one).
  z.strictObject({
    type: z.literal('route'),
    strategy: z.enum(['round_robin', 'least_loaded', 'skills']),
    teamId: z.uuid().optional(),
    skills: z.array(z.string().trim().min(1).max(100)).max(20).optional(),
  }),
  z
    .strictObject({ type: z.literal('reply'), body: text.optional(), cannedId: z.uuid().optional() })
    .refine((a) => (a.body === undefined) !== (a.cannedId === undefined), 'a body or a cannedId'),
  z.strictObject({ type: z.literal('note'), body: text }),
  // Without userIds: the ticket's assignee, or its team's members when nobody is assigned.
  z.strictObject({ type: z.literal('notify'), body: text, userIds: z.array(z.uuid()).max(50).optional() }),
  z.strictObject({ type: z.literal('webhook'), webhookId: z.uuid() }),
]);
export type Action = z.output<typeof actionSchema>;

/** Actions that do something beside the ticket's fields; a rule with one fires whenever it matches. */
const effectTypes = new Set(['route', 'reply', 'note', 'notify', 'webhook']);
export const isEffect = (action: TriggerAction) => effectTypes.has(action.type);

export type TicketChanges = {
  status?: string;
  priority?: string;
  teamId?: string | null;
  assigneeId?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
};

const stepUp = (value: string) => {
  const at = priorities.indexOf(value as (typeof priorities)[number]);
  return priorities[Math.min(at + 1, priorities.length - 1)] ?? value;
};

/** What the actions would change on the ticket's fields; empty when the ticket already looks like that. */
export function plannedChanges(actions: TriggerAction[], facts: TriggerFacts): TicketChanges {
  const changes: TicketChanges = {};
  let tags = facts.tags;
  const current = facts.customFields ?? {};
  for (const action of actions) {
    const { type, value } = action;
    if (type === 'set_priority' && value && value !== facts.priority) changes.priority = value;
    if (type === 'set_status' && value && value !== facts.status) changes.status = value;
    if (type === 'set_team' && value !== facts.teamId) changes.teamId = value ?? null;
    if (type === 'assign' && value !== facts.assigneeId) changes.assigneeId = value ?? null;
    if (type === 'add_tags') tags = [...new Set([...tags, ...(action.tags ?? [])])];
    if (type === 'remove_tags') tags = tags.filter((tag) => !action.tags?.includes(tag));
    if (type === 'set_custom_field' && action.key && (current[action.key] ?? null) !== (value ?? null))
      changes.customFields = { ...changes.customFields, [action.key]: value ?? null };
    if (type === 'escalate') {
      const up = stepUp(changes.priority ?? facts.priority);
      if (up !== facts.priority) changes.priority = up;
      if (action.teamId !== undefined && action.teamId !== facts.teamId) changes.teamId = action.teamId;
    }
  }
  const sameTags = tags.length === facts.tags.length && tags.every((tag) => facts.tags.includes(tag));
  if (!sameTags) changes.tags = [...tags].sort();
  return changes;
}

export const applyChanges = (facts: TriggerFacts, changes: TicketChanges): TriggerFacts => ({
  ...facts,
  ...changes,
  customFields: changes.customFields
    ? { ...facts.customFields, ...changes.customFields }
    : facts.customFields,
});

export type TriggerRule = {
  id: string;
  name: string;
  conditions: TriggerConditions;
  actions: TriggerAction[];
};

export type Effect = { rule: { id: string; name: string }; action: TriggerAction };

/**
 * Runs the rules in order over one event: a rule fires when its conditions hold and its actions would
 * change something (or it has an effect such as a reply), at most once, and later rules see earlier
 * rules' changes. `skip` holds the rules that already fired earlier in this chain of events.
 */
export function evaluateRules(
  rules: TriggerRule[],
  start: TriggerFacts,
  skip: ReadonlySet<string> = new Set(),
) {
  let facts = start;
  const fired: TriggerRule[] = [];
  const effects: Effect[] = [];
  for (const rule of rules) {
    if (skip.has(rule.id) || !conditionsHold(rule.conditions, facts)) continue;
    const changes = plannedChanges(rule.actions, facts);
    const own = rule.actions.filter(isEffect);
    if (Object.keys(changes).length === 0 && own.length === 0) continue;
    facts = applyChanges(facts, changes);
    fired.push(rule);
    for (const action of own) effects.push({ rule: { id: rule.id, name: rule.name }, action });
  }
  const changes: TicketChanges = {};
  for (const key of ['status', 'priority', 'teamId', 'assigneeId'] as const)
    if (facts[key] !== start[key]) Object.assign(changes, { [key]: facts[key] });
  if (facts.tags !== start.tags) changes.tags = facts.tags;
  if (facts.customFields !== start.customFields) {
    const before = start.customFields ?? {};
    const after = facts.customFields ?? {};
    const moved = Object.keys(after).filter((key) => (before[key] ?? null) !== (after[key] ?? null));
    if (moved.length > 0) changes.customFields = Object.fromEntries(moved.map((key) => [key, after[key]]));
  }
  return { fired, changes, effects };
}
