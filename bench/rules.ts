// Rules: in-process evaluation of 200 active triggers against a stream of ticket and message events
// (no database), beside a baseline that only reads each event's fields once per rule. Aim: at least
// 20,000 events/s on one core.

import { evaluateRules, type TriggerFacts, type TriggerRule } from '../src/automation/trigger-rules.ts';
import type { TriggerAction, TriggerCondition } from '../src/db/schema/index.ts';

const RULES = 200;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const AIM = { events_per_s: 20_000 } as const;

const priorities = ['low', 'normal', 'high', 'urgent'];
const channels = ['email', 'chat', 'web', 'api'];
const words = ['refund', 'broken', 'invoice', 'delivery', 'password', 'cancel', 'upgrade', 'lawyer'];

function makeRules(): TriggerRule[] {
  return Array.from({ length: RULES }, (_, n) => {
    const word = words[n % words.length]!;
    const all: TriggerCondition[] = [
      { field: 'channel', op: 'is', value: channels[n % channels.length]! },
      {
        field: n % 2 ? 'subject' : 'message',
        op: n % 3 ? 'contains' : 'matches',
        value: n % 3 ? word : `\\b${word}\\w*`,
      },
    ];
    const any: TriggerCondition[] = [
      { field: 'priority', op: 'is', value: priorities[n % priorities.length]! },
      { field: 'tag', op: 'is', value: `tag-${n % 20}` },
    ];
    const actions: TriggerAction[] =
      n % 2
        ? [{ type: 'add_tags', tags: [`auto-${n % 10}`] }]
        : [{ type: 'set_priority', value: priorities[(n + 1) % 4] }];
    return { id: `rule-${n}`, name: `Rule ${n}`, conditions: { all, any }, actions };
  });
}

function makeEvents(): TriggerFacts[] {
  return Array.from({ length: 1000 }, (_, n) => ({
    event: n % 3 ? 'message.created' : 'ticket.updated',
    status: 'open',
    priority: priorities[n % 4]!,
    channel: channels[(n >> 2) % 4]!,
    teamId: null,
    assigneeId: null,
    tags: [`tag-${n % 20}`, `tag-${(n * 7) % 20}`],
    subject: `About my ${words[n % words.length]} from order ${n}`,
    message: {
      kind: 'customer_message',
      text: `Hello, the ${words[(n * 3) % words.length]} thing again, order ${n}`,
    },
  }));
}

function perSecond(work: (facts: TriggerFacts) => number, events: TriggerFacts[]) {
  let sink = 0;
  for (let i = 0; i < 5000; i++) sink += work(events[i % events.length]!);
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++) sink += work(events[i % events.length]!);
  const seconds = (performance.now() - started) / 1000;
  return { events_per_s: Math.round(EVENTS / seconds), sink };
}

export default async function rulesBench() {
  const rules = makeRules();
  const events = makeEvents();
  const evaluated = perSecond((facts) => evaluateRules(rules, facts).fired.length, events);
  // The floor: touching each rule once per event with a single field comparison.
  const baseline = perSecond(
    (facts) => rules.reduce((hits, rule) => hits + (rule.id === facts.priority ? 1 : 0), 0),
    events,
  );
  return {
    rules: RULES,
    events: EVENTS,
    events_per_s: evaluated.events_per_s,
    fired_per_event: Math.round((evaluated.sink / (EVENTS + 5000)) * 100) / 100,
    baseline_events_per_s: baseline.events_per_s,
    aim: AIM,
    meets_aim: evaluated.events_per_s >= AIM.events_per_s,
    database: 'none (in process)',
  };
}
