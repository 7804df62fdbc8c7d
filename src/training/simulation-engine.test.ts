import { describe, expect, it } from 'vitest';
import { defaultCoachRules } from '../intel/coach-rules.ts';
import { builtInScenario, builtInScenarios } from './scenario-library.ts';
import { type Scenario, scenarioSchema } from './scenario-schema.ts';
import { startSimulation, stepSimulation } from './simulation-engine.ts';

function play(key: string, replies: string[], seed = 7) {
  const scenario = builtInScenario(key)!;
  let { state } = startSimulation(scenario);
  const turns = [];
  for (const text of replies) {
    const turn = stepSimulation(scenario, state, text, seed, defaultCoachRules);
    turns.push(turn);
    state = turn.state;
    if (state.outcome) break;
  }
  return { state, turns, last: turns.at(-1)! };
}

describe('scenario library', () => {
  it('ships at least 12 valid scenarios with unique keys, covering the situations the issue names', () => {
    expect(builtInScenarios.length).toBeGreaterThanOrEqual(12);
    expect(new Set(builtInScenarios.map((s) => s.key)).size).toBe(builtInScenarios.length);
    for (const key of [
      'delayed-shipment',
      'defective-product',
      'refund-after-window',
      'billing-confusion',
      'angry-repeat-caller',
      'first-time-buyer',
      'vip-complaint',
      'cancellation-request',
    ])
      expect(builtInScenario(key)).toBeDefined();
  });

  it('refuses a scenario whose success criteria name an unknown fact', () => {
    const { key: _key, ...rest } = builtInScenario('delayed-shipment')!;
    const bad = scenarioSchema.safeParse({
      ...rest,
      key: 'x',
      success: { ...rest.success, facts: ['nope'] },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('Unknown fact id "nope"');
  });
});

describe('simulated customer', () => {
  const winning = [
    "I'm so sorry your parcel is late. Could you send me your order number?",
    'Thanks. When do you need it by?',
    "I've sent a replacement by express today; it arrives within 2 business days.",
  ];

  it('passes a shipment scenario with empathy, both facts asked, a fix and a time frame', () => {
    const { state, turns } = play('delayed-shipment', winning);
    expect(turns.map((t) => t.moves)).toEqual([['empathy', 'discovery'], ['discovery'], ['success']]);
    expect(turns[0]!.reply).toBe('It is order 48213.');
    expect(turns[1]!.reply).toBe('The birthday is this Saturday.');
    expect(state).toMatchObject({ outcome: 'passed', state: 'resolved', revealed: ['order', 'deadline'] });
    expect(turns.map((t) => t.state.mood)).toEqual([7, 8, 10]);
  });

  it('gives the same conversation for the same seed, and the seed picks among variants', () => {
    const replies = ['Let me check.', 'One moment.', 'Ok.'];
    const a = play('delayed-shipment', replies, 1).turns.map((t) => t.reply);
    expect(play('delayed-shipment', replies, 1).turns.map((t) => t.reply)).toEqual(a);
    const variants = new Set(
      [1, 2, 3, 4, 5, 6].map((seed) => play('delayed-shipment', replies, seed).turns[0]!.reply),
    );
    expect(variants.size).toBeGreaterThan(1);
  });

  it('loses patience when ignored: asks for a manager, then gives up', () => {
    const { turns, state } = play('delayed-shipment', ['Let me check.', 'One moment.', 'Ok.']);
    expect(turns[0]!.moves).toEqual(['ignored']);
    expect(turns[1]!.moves).toEqual(['escalate']);
    expect(turns[1]!.reply).toContain('I want to speak to a manager');
    expect(turns[1]!.state.state).toBe('escalated');
    expect(state).toMatchObject({ outcome: 'failed', reason: 'Escalated and still ignored.' });
    expect(turns.map((t) => t.state.mood)).toEqual([3, 2, 1]);
  });

  it('calms down again when the agent acknowledges after the escalation', () => {
    const { turns } = play('delayed-shipment', [
      'Let me check.',
      'Ok.',
      "I'm sorry. Could you send me your order number?",
    ]);
    expect(turns[2]!.moves).toEqual(['empathy', 'discovery', 'deescalate']);
    expect(turns[2]!.state.state).toBe('discovery');
  });

  it('reacts to blame and jargon, and an angry customer runs out of goodwill', () => {
    const blamed = play('first-time-buyer', ['You should have checked the help page first.']);
    expect(blamed.last.moves).toEqual(['blame', 'ignored']);
    expect(blamed.last.moodDelta).toBe(-4);
    const jargon = play('first-time-buyer', ['Please be advised that checkout is on the page.']);
    expect(jargon.last.moves[0]).toBe('jargon');
    expect(jargon.last.reply).toContain("I'm not very technical");
    const angry = play('angry-repeat-caller', ['Please restart your router.']);
    expect(angry.state).toMatchObject({ outcome: 'failed', reason: 'The customer ran out of goodwill.' });
    expect(angry.last.reply).toMatch(/Forget it|I'm done/);
  });

  it('pushes back on a fix offered before the facts it needs, and asks when a fix has no time frame', () => {
    const early = play('delayed-shipment', ["I'm sorry! I will send a replacement."]);
    expect(early.last.moves).toEqual(['empathy', 'solution_early']);
    const noTime = play('delayed-shipment', [
      "I'm sorry. Could you send me your order number? And when do you need it by?",
      'I will send a replacement by express.',
      'It arrives within 2 business days.',
    ]);
    expect(noTime.turns[1]!.moves).toEqual(['solution_no_time']);
    expect(noTime.turns[2]!.moves).toEqual(['success']);
    expect(noTime.state.outcome).toBe('passed');
  });

  it('says when a question was already answered, and fails out of turns', () => {
    const scenario: Scenario = { ...builtInScenario('defective-product')!, maxTurns: 2 };
    let { state } = startSimulation(scenario);
    const first = stepSimulation(scenario, state, 'When did you buy it?', 3, defaultCoachRules);
    state = first.state;
    const second = stepSimulation(scenario, state, 'When did you buy it?', 3, defaultCoachRules);
    expect(second.moves).toEqual(['repeated', 'failure']);
    expect(second.state).toMatchObject({ outcome: 'failed', reason: 'Out of turns without a resolution.' });
  });

  it('fails a refund after the window when the agent refunds instead of offering credit', () => {
    const { state } = play('refund-after-window', [
      'I understand. When did you buy it, and is it still unworn with the tags on?',
      'As per our policy, refunds are not possible. There is nothing we can do.',
      'Refunds are not possible.',
      'Refunds are not possible.',
    ]);
    expect(state.outcome).toBe('failed');
    const passed = play('refund-after-window', [
      'I understand. When did you buy it, and is it still unworn with the tags on?',
      'The window has closed, but I can offer store credit for the full price today.',
    ]);
    expect(passed.state.outcome).toBe('passed');
  });
});
