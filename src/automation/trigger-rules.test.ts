import { describe, expect, it } from 'vitest';
import {
  conditionSchema,
  conditionsHold,
  evaluateRules,
  plannedChanges,
  type TriggerFacts,
} from './trigger-rules.ts';

const facts: TriggerFacts = {
  event: 'message.created',
  status: 'open',
  priority: 'normal',
  channel: 'email',
  teamId: null,
  assigneeId: 'u1',
  tags: ['vip'],
  subject: 'Broken lid',
  message: { kind: 'customer_message', text: 'The lid arrived CRACKED' },
};

describe('trigger conditions', () => {
  it.each([
    [{ field: 'status', op: 'is', value: 'open' }, true],
    [{ field: 'priority', op: 'is_not', value: 'normal' }, false],
    [{ field: 'tag', op: 'is', value: 'vip' }, true],
    [{ field: 'tag', op: 'is_not', value: 'vip' }, false],
    [{ field: 'subject', op: 'contains', value: 'LID' }, true],
    [{ field: 'message', op: 'not_contains', value: 'cracked' }, false],
    [{ field: 'message', op: 'matches', value: 'arrived\\s+crack' }, true],
    [{ field: 'teamId', op: 'absent' }, true],
    [{ field: 'assigneeId', op: 'present' }, true],
    [{ field: 'messageKind', op: 'is', value: 'public_reply' }, false],
  ])('%o holds: %s', (condition, expected) => {
    expect(conditionsHold({ all: [condition] }, facts)).toBe(expected);
  });

  it('needs all of `all` and one of `any`', () => {
    const open = { field: 'status', op: 'is', value: 'open' };
    const chat = { field: 'channel', op: 'is', value: 'chat' };
    expect(
      conditionsHold({ all: [open], any: [chat, { field: 'tag', op: 'is', value: 'vip' }] }, facts),
    ).toBe(true);
    expect(conditionsHold({ all: [open], any: [chat] }, facts)).toBe(false);
    expect(conditionsHold({ all: [open, chat] }, facts)).toBe(false);
  });

  it('compares urgency with a score or a level, and never holds before it was scored', () => {
    const urgent = { ...facts, intel: { sentiment: 'negative', urgency: 0.55 } };
    const calm = { ...facts, intel: { sentiment: 'neutral', urgency: 0 } };
    const holds = (value: string, op = 'at_least') => [
      conditionsHold({ all: [{ field: 'urgency', op, value }] }, urgent),
      conditionsHold({ all: [{ field: 'urgency', op, value }] }, calm),
      conditionsHold({ all: [{ field: 'urgency', op, value }] }, facts),
    ];
    expect(holds('0.5')).toEqual([true, false, false]);
    expect(holds('high')).toEqual([true, false, false]);
    expect(holds('medium')).toEqual([true, false, false]);
    expect(holds('low')).toEqual([true, true, false]);
    expect(holds('medium', 'less_than')).toEqual([false, true, false]);
    expect(holds('0.6')).toEqual([false, false, false]);
  });

  it('refuses an urgency outside 0 to 1, an unknown level or a text operator', () => {
    const valid = (value: string, op = 'at_least') =>
      conditionSchema.safeParse({ field: 'urgency', op, value }).success;
    expect([valid('0'), valid('1'), valid('high'), valid('medium', 'less_than')]).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([valid('1.5'), valid('-0.1'), valid('very'), valid('toString'), valid('high', 'is')]).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('refuses a broken regular expression and a missing value', () => {
    expect(conditionSchema.safeParse({ field: 'subject', op: 'matches', value: '[' }).success).toBe(false);
    expect(conditionSchema.safeParse({ field: 'subject', op: 'is' }).success).toBe(false);
  });
});

describe('trigger actions', () => {
  it('plan only what would change', () => {
    expect(
      plannedChanges(
        [
          { type: 'add_tags', tags: ['vip'] },
          { type: 'set_priority', value: 'normal' },
        ],
        facts,
      ),
    ).toEqual({});
    expect(
      plannedChanges(
        [
          { type: 'remove_tags', tags: ['vip'] },
          { type: 'set_team', value: 't1' },
        ],
        facts,
      ),
    ).toEqual({
      tags: [],
      teamId: 't1',
    });
  });

  it('skips rules already fired in the chain and rules with nothing to do', () => {
    const rule = (id: string, value: string) => ({
      id,
      name: id,
      conditions: {},
      actions: [{ type: 'set_priority', value }],
    });
    const { fired, changes } = evaluateRules(
      [rule('a', 'high'), rule('b', 'urgent'), rule('c', 'urgent')],
      facts,
      new Set(['a']),
    );
    expect(fired.map((r) => r.id)).toEqual(['b']);
    expect(changes).toEqual({ priority: 'urgent' });
  });
});
