import { describe, expect, it } from 'vitest';
import { applyFix, type CoachRule, checkReply, upsetSignals } from './coach-engine.ts';
import { type CoachRules, defaultCoachRules } from './coach-rules.ts';
import { fleschKincaidGrade, sentences, syllables, wordsWithOffsets } from './coach-text.ts';

const rules = defaultCoachRules;
const check = (text: string, customerText?: string, r: CoachRules = rules) =>
  checkReply({ text, customerText }, r);
const flag = (text: string, rule: CoachRule, customerText?: string) =>
  check(text, customerText).flags.find((f) => f.rule === rule);
const fixed = (text: string, rule: CoachRule, customerText?: string) =>
  applyFix(text, flag(text, rule, customerText)!.fix!);

const good =
  "Hi Sam,\n\nI'm sorry the parcel is late. I have sent a replacement, and you will get it by Friday.\n\nBest,\nAlex";

describe('reply coach', () => {
  it('scores a kind, clear reply with a next step at 100 and no flags', () => {
    const result = check(good, 'This is the third time I ask, it is unacceptable!');
    expect(result).toMatchObject({ score: 100, flags: [], customerUpset: true });
  });

  it('asks for an acknowledgement when the customer is upset, and only then', () => {
    const reply = 'Hi Sam,\n\nI will send a replacement today.';
    expect(flag(reply, 'empathy', 'I am FED UP. This is the THIRD time!!')).toBeDefined();
    expect(flag(reply, 'empathy', 'Could you send a replacement please?')).toBeUndefined();
    expect(flag(reply, 'empathy')).toBeUndefined();
    expect(fixed(reply, 'empathy', 'so frustrated')).toBe(
      `Hi Sam,\n\n${rules.empathyOpener} I will send a replacement today.`,
    );
    expect(flag(`Sorry for the wait! ${reply}`, 'empathy', 'so frustrated')).toBeUndefined();
    expect(fixed('Hi Jo, I will send a replacement today.', 'empathy', 'so frustrated')).toBe(
      `Hi Jo, ${rules.empathyOpener} I will send a replacement today.`,
    );
  });

  it('reads upset from phrases, shouting and repeated marks', () => {
    expect(upsetSignals('Still waiting for my refund', rules)).toEqual(['still waiting']);
    expect(upsetSignals('WHERE IS MY ORDER', rules)).toEqual(['shouting']);
    expect(upsetSignals('Where is it??', rules)).toEqual(['!!']);
    expect(upsetSignals('Thanks, that works', rules)).toEqual([]);
  });

  it('rewrites policy-speak in plain words, keeping sentence case', () => {
    const reply =
      'Per our policy, refunds take 10 days. As previously stated, the form stipulates a receipt.';
    const result = check(reply);
    const jargon = result.flags.filter((f) => f.rule === 'jargon');
    expect(jargon.map((f) => f.params.phrase)).toEqual([
      'Per our policy',
      'As previously stated',
      'stipulates',
    ]);
    expect(jargon.map((f) => applyFix(reply, f.fix!))).toEqual([
      'Normally, refunds take 10 days. As previously stated, the form stipulates a receipt.',
      'Per our policy, refunds take 10 days. As I mentioned, the form stipulates a receipt.',
      'Per our policy, refunds take 10 days. As previously stated, the form says a receipt.',
    ]);
    // The longest phrase wins where two overlap.
    expect(check('As per our policy we refund in 5 days.').flags.map((f) => f.params.phrase)).toEqual([
      'As per our policy',
    ]);
    expect(fixed('Please be advised that your refund is sent today.', 'jargon')).toBe(
      'Your refund is sent today.',
    );
  });

  it('flags blaming and defensive phrasing', () => {
    const reply = "It's not our fault the courier lost it. I will chase them today.";
    expect(flag(reply, 'blame')?.params.phrase).toBe("It's not our fault");
    expect(fixed(reply, 'blame')).toBe("I'm sorry the courier lost it. I will chase them today.");
    expect(flag('There is nothing we can do, sorry. I will close it today.', 'blame')?.fix?.label).toBe(
      'Use “here is what we can do”',
    );
  });

  it('asks for a next step or a time frame', () => {
    const vague = 'Thanks for your message about the parcel that has not arrived yet.';
    expect(flag(vague, 'next_step')).toBeDefined();
    expect(fixed(`${vague}\n\nBest,\nAlex`, 'next_step')).toBe(
      `${vague}\n\n${rules.nextStepSentence}\n\nBest,\nAlex`,
    );
    expect(fixed(vague, 'next_step')).toBe(`${vague} ${rules.nextStepSentence}`);
    expect(flag(`${vague} It should be with you in 2-3 business days.`, 'next_step')).toBeUndefined();
    expect(flag(`${vague} I will look into it.`, 'next_step')).toBeUndefined();
    expect(flag('Thanks!', 'next_step')).toBeUndefined();
  });

  it('flags a reading level above the limit and offers to split the longest sentence', () => {
    const dense =
      'In consideration of the unanticipated circumstances surrounding the delivery, our organisation has ' +
      'determined that the appropriate remedy constitutes a complimentary replacement, and the replacement ' +
      'will be dispatched immediately following verification of the information today.';
    const reading = flag(dense, 'reading_level')!;
    expect(Number(reading.params.grade)).toBeGreaterThan(rules.maxGrade);
    const split = applyFix(dense, reading.fix!);
    expect(split).toContain('complimentary replacement. The replacement will');
    expect(check(split).readingGrade!).toBeLessThan(check(dense).readingGrade!);
    expect(flag(good, 'reading_level')).toBeUndefined();
  });

  it('keeps to the workspace style guide, whose lists and formality are data', () => {
    expect(fixed('Hey, we are gonna send it today.', 'style')).toBe('Hi, we are gonna send it today.');
    const styles = check('Hey, we are gonna send it today. Kindly reply.').flags.filter(
      (f) => f.rule === 'style',
    );
    expect(styles.map((f) => f.params.phrase)).toEqual(['Hey', 'gonna', 'Kindly']);
    const casual: CoachRules = {
      ...rules,
      style: { ...rules.style, formality: 'casual', banned: [{ phrase: 'ticket', replacement: 'request' }] },
    };
    const mine = check('Hey, kindly reply to this ticket today.', undefined, casual).flags;
    // Casual workspaces let "Hey" pass and flag stiff words instead.
    expect(mine.map((f) => f.params.phrase)).toEqual(['kindly', 'ticket']);
  });

  it('scores from the flags, at most the per-rule cap each', () => {
    const bad = 'Per our policy, as previously stated, it is not our fault. You should have read it.';
    const result = check(bad, 'This is unacceptable');
    expect(result.score).toBeLessThan(40);
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(check('').score).toBe(100);
  });

  it('counts syllables, sentences and a Flesch–Kincaid grade', () => {
    expect(['cat', 'table', 'happy', 'the', 'banana', 'shipped'].map(syllables)).toEqual([1, 2, 2, 1, 3, 1]);
    const text = 'The cat sat. The dog ran!\nIt was fun';
    const tokens = wordsWithOffsets(text);
    expect(sentences(text, tokens).map((s) => text.slice(s.start, s.end))).toEqual([
      'The cat sat.',
      'The dog ran!',
      'It was fun',
    ]);
    expect(fleschKincaidGrade(tokens, 3)).toBeLessThan(2);
  });
});
