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

export const triggerEvents = [
  'ticket.created',
  'ticket.updated',
  'message.created',
  'sla.warning',
  'sla.breached',
] as const;
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

// Compiled once per pattern: a busy workspace runs the same rules on every event.
const patterns = new Map<string, RegExp>();
function pattern(source: string): RegExp {
  let compiled = patterns.get(source);
  if (!compiled) {
    compiled = new RegExp(source, 'i');
    if (patterns.size > 10_000) patterns.clear();
    patterns.set(source, compiled);
  }
  return compiled;
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

type Test = (facts: TriggerFacts) => boolean;

// Lower-cased text, once per facts object and field rather than once per rule.
const lowered = new WeakMap<TriggerFacts, Map<string, string>>();
function lowerOf(facts: TriggerFacts, field: string, text: string): string {
  let byField = lowered.get(facts);
  if (!byField) {
    byField = new Map();
    lowered.set(facts, byField);
  }
  let lower = byField.get(field);
  if (lower === undefined) {
    lower = text.toLowerCase();
    byField.set(field, lower);
  }
  return lower;
}

function compileTags(op: string, wanted: string, lower: string): Test {
  const has = (facts: TriggerFacts) => facts.tags.includes(wanted);
  const hasPart = (facts: TriggerFacts) => facts.tags.some((tag) => tag.toLowerCase().includes(lower));
  if (op === 'is') return has;
  if (op === 'is_not') return (facts) => !has(facts);
  if (op === 'contains') return hasPart;
  if (op === 'not_contains') return (facts) => !hasPart(facts);
  if (op === 'matches') {
    const regex = pattern(wanted);
    return (facts) => facts.tags.some((tag) => regex.test(tag));
  }
  if (op === 'present') return (facts) => facts.tags.length > 0;
  if (op === 'absent') return (facts) => facts.tags.length === 0;
  return () => false;
}

function compile(condition: TriggerCondition): Test {
  const { field, op } = condition;
  const wanted = condition.value ?? '';
  const lower = wanted.toLowerCase();
  if (field === 'tag') return compileTags(op, wanted, lower);
  const value = (facts: TriggerFacts) => fieldValue(facts, field) as string | null;
  const contains: Test = (facts) => {
    const text = value(facts);
    return text !== null && lowerOf(facts, field, text).includes(lower);
  };
  switch (op) {
    case 'is':
      return (facts) => value(facts) === wanted;
    case 'is_not':
      return (facts) => value(facts) !== wanted;
    case 'contains':
      return contains;
    case 'not_contains':
      return (facts) => !contains(facts);
    case 'matches': {
      const regex = pattern(wanted);
      return (facts) => {
        const text = value(facts);
        return text !== null && regex.test(text);
      };
    }
    case 'present':
      return (facts) => (value(facts) ?? '') !== '';
    case 'absent':
      return (facts) => (value(facts) ?? '') === '';
    default:
      return () => false;
  }
}

// Rules are compiled once per conditions object: the engine and the bench reuse the same rules.
const compiled = new WeakMap<TriggerConditions, { all: Test[]; any: Test[] }>();

/** All of `all` and, when `any` is given, at least one of it. */
export function conditionsHold(conditions: TriggerConditions, facts: TriggerFacts): boolean {
  let tests = compiled.get(conditions);
  if (!tests) {
    tests = { all: (conditions.all ?? []).map(compile), any: (conditions.any ?? []).map(compile) };
    compiled.set(conditions, tests);
  }
  for (const test of tests.all) if (!test(facts)) return false;
  if (tests.any.length === 0) return true;
  for (const test of tests.any) if (test(facts)) return true;
  return false;
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
