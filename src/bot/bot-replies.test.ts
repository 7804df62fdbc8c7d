import { describe, expect, it } from 'vitest';
import { confidenceOf } from './bot-confidence.ts';
import { ANSWER_NO, ANSWER_YES, readAnswer } from './bot-replies.ts';

describe('answer bot replies', () => {
  it('reads yes, no and requests for a person, and treats anything longer as a new question', () => {
    for (const text of ['yes', 'Yes!', 'yep, thanks', 'that worked', 'Thank you', ANSWER_YES])
      expect(readAnswer(text), text).toBe('yes');
    for (const text of ['no', 'Nope.', 'not really', "it didn't", ANSWER_NO, 'now what'])
      expect(readAnswer(text), text).toBe(text === 'now what' ? 'other' : 'no');
    for (const text of ['talk to a human', 'I want to speak to a person', 'connect me with an agent please'])
      expect(readAnswer(text), text).toBe('human');
    expect(readAnswer('How do I change my delivery address after ordering?')).toBe('other');
    expect(readAnswer('   ')).toBe('other');
  });

  it('turns search scores into a confidence between 0 and 1 that grows with the best score', () => {
    expect(confidenceOf([])).toBe(0);
    const weak = confidenceOf([{ score: 5 }, { score: 1 }]);
    const strong = confidenceOf([{ score: 30 }, { score: 10 }]);
    expect(weak).toBeLessThan(0.1);
    expect(strong).toBeGreaterThan(0.9);
  });
});
