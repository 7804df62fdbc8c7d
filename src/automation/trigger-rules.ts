import { z } from 'zod';
import type { TriggerAction, TriggerCondition, TriggerConditions } from '../db/schema/index.ts';

/** What conditions look at: the ticket as the event left it, and the message when there is one. */
export type TriggerFacts = {
  event: string;
  status: string;
  priority: string;
  channel: string;
  teamId: string | null;
  assigneeId: string | null;
  tags: string[];
  subject: string;
  message: { text: string; kind: string } | null;
};

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

export const triggerEvents = ['ticket.created', 'ticket.updated', 'message.created'] as const;
const fields = [
  'status',
  'priority',
  'channel',
  'teamId',
  'assigneeId',
  'tag',
  'subject',
  'message',
  'messageKind',
] as const;
const ops = ['is', 'is_not', 'contains', 'not_contains', 'matches', 'present', 'absent'] as const;

export const conditionSchema = z
  .strictObject({ field: z.enum(fields), op: z.enum(ops), value: z.string().max(1000).optional() })
  .refine((c) => c.op === 'present' || c.op === 'absent' || c.value !== undefined, 'needs a value')
  .refine((c) => c.op !== 'matches' || isRegExp(c.value ?? ''), 'not a valid regular expression');
export const conditionsSchema = z.strictObject({
  all: z.array(conditionSchema).max(50).optional(),
  any: z.array(conditionSchema).max(50).optional(),
});
const priority = z.enum(['low', 'normal', 'high', 'urgent']);
const status = z.enum(['open', 'pending', 'on_hold', 'solved']);
// Stored as tickets store tags, so a rule compares like with like.
const tagList = z
  .array(z.string().trim().min(1).max(100))
  .min(1)
  .max(20)
  .transform((tags) => tags.map((tag) => tag.toLowerCase().replace(/\s+/g, '-')));
export const actionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('set_priority'), value: priority }),
  z.strictObject({ type: z.literal('set_status'), value: status }),
  z.strictObject({ type: z.literal('set_team'), value: z.uuid().nullable() }),
  z.strictObject({ type: z.literal('assign'), value: z.uuid().nullable() }),
  z.strictObject({ type: z.literal('add_tags'), tags: tagList }),
  z.strictObject({ type: z.literal('remove_tags'), tags: tagList }),
]);

function isRegExp(source: string) {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}

function fieldValue(facts: TriggerFacts, field: string): string | string[] | null {
  switch (field) {
    case 'tag':
      return facts.tags;
    case 'message':
      return facts.message?.text ?? null;
    case 'messageKind':
      return facts.message?.kind ?? null;
    default:
      return (facts as unknown as Record<string, string | null>)[field] ?? null;
  }
}

function holds(condition: TriggerCondition, facts: TriggerFacts): boolean {
  const actual = fieldValue(facts, condition.field);
  const wanted = condition.value ?? '';
  const list = Array.isArray(actual) ? actual : actual === null ? [] : [actual];
  const lower = wanted.toLowerCase();
  switch (condition.op) {
    case 'is':
      return list.includes(wanted);
    case 'is_not':
      return !list.includes(wanted);
    case 'contains':
      return list.some((item) => item.toLowerCase().includes(lower));
    case 'not_contains':
      return !list.some((item) => item.toLowerCase().includes(lower));
    case 'matches':
      return list.some((item) => new RegExp(wanted, 'i').test(item));
    case 'present':
      return list.length > 0 && list.some((item) => item !== '');
    case 'absent':
      return list.length === 0 || list.every((item) => item === '');
    default:
      return false;
  }
}

/** All of `all` and, when `any` is given, at least one of it. */
export function conditionsHold(conditions: TriggerConditions, facts: TriggerFacts): boolean {
  const all = conditions.all ?? [];
  const any = conditions.any ?? [];
  return all.every((c) => holds(c, facts)) && (any.length === 0 || any.some((c) => holds(c, facts)));
}

export type TicketChanges = {
  status?: string;
  priority?: string;
  teamId?: string | null;
  assigneeId?: string | null;
  tags?: string[];
};

/** What the actions would change on the ticket; empty when the ticket already looks like that. */
export function plannedChanges(actions: TriggerAction[], facts: TriggerFacts): TicketChanges {
  const changes: TicketChanges = {};
  let tags = facts.tags;
  for (const action of actions) {
    if (action.type === 'set_priority' && action.value && action.value !== facts.priority)
      changes.priority = action.value;
    if (action.type === 'set_status' && action.value && action.value !== facts.status)
      changes.status = action.value;
    if (action.type === 'set_team' && action.value !== facts.teamId) changes.teamId = action.value ?? null;
    if (action.type === 'assign' && action.value !== facts.assigneeId)
      changes.assigneeId = action.value ?? null;
    if (action.type === 'add_tags') tags = [...new Set([...tags, ...(action.tags ?? [])])];
    if (action.type === 'remove_tags') tags = tags.filter((tag) => !action.tags?.includes(tag));
  }
  const sameTags = tags.length === facts.tags.length && tags.every((tag) => facts.tags.includes(tag));
  if (!sameTags) changes.tags = [...tags].sort();
  return changes;
}

export const applyChanges = (facts: TriggerFacts, changes: TicketChanges): TriggerFacts => ({
  ...facts,
  ...changes,
});

export type TriggerRule = {
  id: string;
  name: string;
  conditions: TriggerConditions;
  actions: TriggerAction[];
};

/**
 * Runs the rules in order over one event: a rule fires when its conditions hold and its actions would
 * change something, at most once, and later rules see earlier rules' changes. `skip` holds the rules
 * that already fired earlier in this chain of events.
 */
export function evaluateRules(
  rules: TriggerRule[],
  start: TriggerFacts,
  skip: ReadonlySet<string> = new Set(),
) {
  let facts = start;
  const fired: TriggerRule[] = [];
  for (const rule of rules) {
    if (skip.has(rule.id) || !conditionsHold(rule.conditions, facts)) continue;
    const changes = plannedChanges(rule.actions, facts);
    if (Object.keys(changes).length === 0) continue;
    facts = applyChanges(facts, changes);
    fired.push(rule);
  }
  const changes: TicketChanges = {};
  for (const key of ['status', 'priority', 'teamId', 'assigneeId'] as const)
    if (facts[key] !== start[key]) Object.assign(changes, { [key]: facts[key] });
  if (facts.tags !== start.tags) changes.tags = facts.tags;
  return { fired, changes };
}
