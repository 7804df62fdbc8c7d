import { z } from 'zod';
import type { TriggerCondition, TriggerConditions } from '../db/schema/index.ts';

/** What conditions look at: the ticket as the event left it, the message when there is one, and context. */
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
  /** Loaded only when a rule looks at them; a condition on something not loaded is false. */
  customFields?: Record<string, unknown> | undefined;
  customer?: CustomerFacts | null | undefined;
  /** Per business schedule id ('default' for the workspace's first): inside business hours now. */
  businessHours?: Record<string, boolean> | undefined;
  /** From the intelligence capability when it has run; absent values make their conditions false. */
  intel?: {
    intent?: string | undefined;
    sentiment?: string | undefined;
    language?: string | undefined;
    /** The ticket's urgency, 0 to 1 (see the intelligence's sentiment signals). */
    urgency?: number | undefined;
  };
  /** The survey answer (CSAT, NPS, CES) a `survey.answered` trigger runs for. */
  survey?: { kind: string; score: number } | undefined;
  /** The business event (order, shipment, payment…) a `customer.event` trigger runs for. */
  businessEvent?: { type: string; data: Record<string, unknown> } | undefined;
  hoursSinceUpdate?: number | undefined;
  hoursSinceCreated?: number | undefined;
};

export type CustomerFacts = {
  language: string | null;
  tier?: string | null | undefined;
  tags: string[];
  attributes: Record<string, unknown>;
};

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
  'custom_field',
  'customer',
  'business_hours',
  'intent',
  'sentiment',
  'urgency',
  'language',
  'hours_since_update',
  'hours_since_created',
  'business_event',
  'survey_score',
  'survey_kind',
] as const;
const ops = [
  'is',
  'is_not',
  'contains',
  'not_contains',
  'matches',
  'present',
  'absent',
  'at_least',
  'less_than',
] as const;
const keyed = new Set(['custom_field', 'customer']);
const numeric = new Set(['hours_since_update', 'hours_since_created', 'urgency', 'survey_score']);
/**
 * Urgency levels by name, as their lowest score, for `urgency at_least high`: urgency words alone score
 * 0.55 and the console flags a ticket urgent from 0.5; an escalation threat alone scores 0.2.
 */
export const urgencyLevels: Record<string, number> = { low: 0, medium: 0.2, high: 0.5 };
const numberOf = (field: string, value: string | undefined) =>
  field === 'urgency' && value !== undefined && Object.hasOwn(urgencyLevels, value)
    ? urgencyLevels[value]!
    : Number(value);

export const conditionSchema = z
  .strictObject({
    field: z.enum(fields),
    op: z.enum(ops),
    value: z.string().max(1000).optional(),
    /** The custom field or customer attribute named (`tier`, `language`, `tags` or any custom attribute). */
    key: z.string().trim().min(1).max(100).optional(),
  })
  .refine((c) => c.op === 'present' || c.op === 'absent' || c.value !== undefined, 'needs a value')
  .refine((c) => c.op !== 'matches' || isRegExp(c.value ?? ''), 'not a valid regular expression')
  .refine((c) => !keyed.has(c.field) || c.key !== undefined, 'needs a key')
  .refine(
    (c) => numeric.has(c.field) === (c.op === 'at_least' || c.op === 'less_than'),
    'hours and urgency compare with at_least or less_than, and only they do',
  )
  .refine((c) => !numeric.has(c.field) || Number.isFinite(numberOf(c.field, c.value)), 'needs a number')
  .refine(
    (c) => c.field !== 'urgency' || (numberOf(c.field, c.value) >= 0 && numberOf(c.field, c.value) <= 1),
    'urgency is a score from 0 to 1, or low, medium or high',
  )
  .refine(
    (c) => c.field !== 'business_hours' || (c.op === 'is' && ['inside', 'outside'].includes(c.value ?? '')),
    'business_hours is inside or outside',
  );
export const conditionsSchema = z.strictObject({
  all: z.array(conditionSchema).max(50).optional(),
  any: z.array(conditionSchema).max(50).optional(),
});

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

type Value = string | string[] | null | undefined;
type Test = (facts: TriggerFacts) => boolean;

const asText = (value: unknown): string | null | undefined => {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (Array.isArray(value)) return value.map(String).join(',');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
};

function customerValue(customer: CustomerFacts | null | undefined, key: string): Value {
  if (!customer) return undefined;
  if (key === 'tags') return customer.tags;
  if (key === 'language') return customer.language;
  // The profile's tier; a workspace that kept tiers as a custom attribute before still matches.
  if (key === 'tier' && customer.tier) return customer.tier;
  const value = customer.attributes[key];
  // An attribute the customer does not have is empty, not unknown.
  return Array.isArray(value) ? value.map(String) : (asText(value) ?? null);
}

/** undefined: the fact is not known here (the condition is false whatever its operator). */
function reader(field: string, key: string): (facts: TriggerFacts) => Value {
  switch (field) {
    case 'tag':
      return (facts) => facts.tags;
    case 'message':
      return (facts) => facts.message?.text ?? null;
    case 'messageKind':
      return (facts) => facts.message?.kind ?? null;
    case 'custom_field':
      return (facts) => (facts.customFields ? (asText(facts.customFields[key]) ?? null) : undefined);
    case 'customer':
      return (facts) => customerValue(facts.customer, key);
    case 'survey_kind':
      return (facts) => facts.survey?.kind;
    // Without a key the event's type (shipment.delayed); with one, that field of its data.
    case 'business_event':
      return (facts) =>
        facts.businessEvent
          ? key
            ? (asText(facts.businessEvent.data[key]) ?? null)
            : facts.businessEvent.type
          : undefined;
    case 'intent':
    case 'sentiment':
    case 'language':
      return (facts) => facts.intel?.[field] || undefined;
    case 'status':
    case 'priority':
    case 'channel':
    case 'teamId':
    case 'assigneeId':
    case 'subject':
      return (facts) => facts[field];
    default:
      return () => undefined;
  }
}

// Lower-cased text, once per facts object and field rather than once per rule.
const lowered = new WeakMap<TriggerFacts, Map<string, string>>();
function lowerOf(facts: TriggerFacts, slot: string, text: string): string {
  let bySlot = lowered.get(facts);
  if (!bySlot) {
    bySlot = new Map();
    lowered.set(facts, bySlot);
  }
  let lower = bySlot.get(slot);
  if (lower === undefined) {
    lower = text.toLowerCase();
    bySlot.set(slot, lower);
  }
  return lower;
}

function compileList(op: string, wanted: string, lower: string, read: (f: TriggerFacts) => string[]): Test {
  const has = (facts: TriggerFacts) => read(facts).includes(wanted);
  const hasPart = (facts: TriggerFacts) => read(facts).some((item) => item.toLowerCase().includes(lower));
  if (op === 'is') return has;
  if (op === 'is_not') return (facts) => !has(facts);
  if (op === 'contains') return hasPart;
  if (op === 'not_contains') return (facts) => !hasPart(facts);
  if (op === 'matches') {
    const regex = pattern(wanted);
    return (facts) => read(facts).some((item) => regex.test(item));
  }
  if (op === 'present') return (facts) => read(facts).length > 0;
  if (op === 'absent') return (facts) => read(facts).length === 0;
  return () => false;
}

function compileText(
  op: string,
  wanted: string,
  lower: string,
  slot: string,
  read: (f: TriggerFacts) => string | null,
) {
  const contains: Test = (facts) => {
    const text = read(facts);
    return text !== null && lowerOf(facts, slot, text).includes(lower);
  };
  switch (op) {
    case 'is':
      return (facts: TriggerFacts) => read(facts) === wanted;
    case 'is_not':
      return (facts: TriggerFacts) => read(facts) !== wanted;
    case 'contains':
      return contains;
    case 'not_contains':
      return (facts: TriggerFacts) => !contains(facts);
    case 'matches': {
      const regex = pattern(wanted);
      return (facts: TriggerFacts) => {
        const text = read(facts);
        return text !== null && regex.test(text);
      };
    }
    case 'present':
      return (facts: TriggerFacts) => (read(facts) ?? '') !== '';
    case 'absent':
      return (facts: TriggerFacts) => (read(facts) ?? '') === '';
    default:
      return () => false;
  }
}

function compileNumber(condition: TriggerCondition): Test {
  const limit = numberOf(condition.field, condition.value);
  const read =
    condition.field === 'urgency'
      ? (facts: TriggerFacts) => facts.intel?.urgency
      : condition.field === 'survey_score'
        ? (facts: TriggerFacts) => facts.survey?.score
        : condition.field === 'hours_since_update'
          ? (facts: TriggerFacts) => facts.hoursSinceUpdate
          : (facts: TriggerFacts) => facts.hoursSinceCreated;
  return (facts) => {
    const value = read(facts);
    if (value === undefined) return false;
    return condition.op === 'at_least' ? value >= limit : value < limit;
  };
}

function compile(condition: TriggerCondition): Test {
  const { field, op } = condition;
  if (numeric.has(field)) return compileNumber(condition);
  if (field === 'business_hours') {
    const schedule = condition.key ?? 'default';
    const inside = condition.value === 'inside';
    return (facts) => {
      const open = facts.businessHours?.[schedule];
      return open !== undefined && open === inside;
    };
  }
  const wanted = condition.value ?? '';
  const lower = wanted.toLowerCase();
  const read = reader(field, condition.key ?? '');
  const slot = `${field}:${condition.key ?? ''}`;
  const list = compileList(op, wanted, lower, (facts) => read(facts) as string[]);
  const text = compileText(op, wanted, lower, slot, (facts) => read(facts) as string | null);
  return (facts) => {
    const value = read(facts);
    if (value === undefined) return false;
    return Array.isArray(value) ? list(facts) : text(facts);
  };
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

/** Which context facts a set of rules needs loaded beyond the event's own payload. */
export function neededFacts(conditions: TriggerConditions[]) {
  const used = new Set(conditions.flatMap((c) => [...(c.all ?? []), ...(c.any ?? [])].map((x) => x.field)));
  return {
    // Events carry the ticket's summary, which has no creation time.
    ticketRow: used.has('custom_field') || used.has('hours_since_created'),
    customer: used.has('customer'),
    businessHours: used.has('business_hours'),
    mood: used.has('sentiment') || used.has('urgency'),
    intent: used.has('intent'),
  };
}
