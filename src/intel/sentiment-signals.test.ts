import { describe, expect, it } from 'vitest';
import { analyzeMessage, isShouting, labelOf, type SignalName } from './sentiment-signals.ts';

const signalsOf = (text: string) => analyzeMessage(text).signals;

describe('sentiment signals', () => {
  it.each<[SignalName, string[], string[]]>([
    [
      'shouting',
      ['THIS IS THE THIRD TIME I AM WRITING', 'WHERE IS MY ORDER? YOU PROMISED it last week'],
      ['Where is my order? I paid last week.', 'I use the API on AWS.'],
    ],
    [
      'exclamations',
      ['Why is this still broken?!', 'Fix it!! Now', 'No! Not again! Please!'],
      ['Thanks!', 'Is it shipped?'],
    ],
    [
      'repeat_contact',
      [
        'This is the third time I have asked about my refund.',
        'I already told you my address.',
        'How many times do I have to explain this?',
        'I keep getting the same error.',
      ],
      ['I have a question about my refund.', 'Can you tell me my address on file?'],
    ],
    [
      'threat_to_leave',
      [
        'Cancel my subscription, I am switching to a competitor.',
        'I will take my business elsewhere.',
        'I will never buy from you again.',
        'We are moving to another provider.',
      ],
      ['How do I change my subscription plan?', 'Can I move to another plan?'],
    ],
    [
      'escalation_threat',
      [
        'I will contact my lawyer and file a chargeback.',
        'I want to speak to a manager.',
        'I am reporting you to the Better Business Bureau.',
      ],
      ['My manager asked me to write to you.', 'Which plan includes legal documents?'],
    ],
    [
      'urgency_words',
      [
        'Please help urgently, I cannot log in.',
        'I need this fixed by tomorrow, it is a deadline.',
        'Our checkout is down.',
        'Please reply as soon as possible.',
      ],
      ['Whenever you have a moment, no rush.', 'I logged in fine today.'],
    ],
    [
      'waiting_long',
      ['I have been waiting for two weeks for a reply.', 'We waited 3 days for the parcel.'],
      ['I will wait for your reply.', 'The parcel took two days.'],
    ],
  ])('%s: found in what it means, not in look-alikes', (signal, present, absent) => {
    for (const text of present) expect(signalsOf(text), text).toContain(signal);
    for (const text of absent) expect(signalsOf(text), text).not.toContain(signal);
  });

  it('counts earlier unanswered messages and recent tickets as repeat contacts', () => {
    expect(signalsOf('Where is my parcel?')).toEqual([]);
    expect(analyzeMessage('Where is my parcel?', { unansweredBefore: 1 }).signals).toEqual([]);
    expect(analyzeMessage('Where is my parcel?', { unansweredBefore: 2 }).signals).toEqual([
      'repeat_contact',
    ]);
    expect(analyzeMessage('Where is my parcel?', { recentTickets: 2 }).signals).toEqual(['repeat_contact']);
  });

  it('labels thanks positive, plain questions neutral, complaints negative', () => {
    expect(analyzeMessage('Thanks so much, that fixed it!').label).toBe('positive');
    expect(analyzeMessage('Where is my parcel?').label).toBe('neutral');
    expect(analyzeMessage('Hello there').label).toBe('neutral');
    expect(analyzeMessage('This is terrible, the app crashes every time.').label).toBe('negative');
  });

  it('pulls polite complaints down: signals weigh where the lexicon sees nothing', () => {
    const plain = analyzeMessage('I have asked about my refund.');
    const repeated = analyzeMessage('This is the third time I have asked about my refund.');
    expect(repeated.score).toBeLessThan(plain.score);
    expect(repeated.label).toBe('negative');
    // An urgent problem is never good news.
    expect(analyzeMessage('Please help urgently, I cannot log in.').label).toBe('negative');
  });

  it('scores frustration and urgency in [0, 1], rising with each signal', () => {
    const calm = analyzeMessage('Could you check my invoice?');
    const annoyed = analyzeMessage('This is the third time I have asked about my invoice.');
    const furious = analyzeMessage(
      'THIS IS THE THIRD TIME I AM ASKING!! Cancel my account, I will take my business elsewhere.',
    );
    expect(calm.frustration).toBe(0);
    expect(annoyed.frustration).toBeGreaterThan(calm.frustration);
    expect(furious.frustration).toBeGreaterThan(annoyed.frustration);
    expect(furious.frustration).toBeLessThanOrEqual(1);

    expect(calm.urgency).toBe(0);
    const urgent = analyzeMessage('URGENT: our checkout is down, fix it ASAP!!');
    expect(urgent.urgency).toBeGreaterThan(0.55);
    expect(urgent.urgency).toBeLessThanOrEqual(1);
    for (const result of [calm, annoyed, furious, urgent]) {
      expect(result.score).toBeGreaterThanOrEqual(-1);
      expect(result.score).toBeLessThanOrEqual(1);
    }
  });

  it('sees shouting in many capitals but not in a single acronym', () => {
    expect(isShouting('PLEASE FIX THIS')).toBe(true);
    expect(isShouting('I NEED MY MONEY BACK today')).toBe(true);
    expect(isShouting('The SDK crashes on start')).toBe(false);
    expect(isShouting('OK')).toBe(false);
  });

  it('draws the label lines at ±0.05', () => {
    expect(labelOf(0.05)).toBe('positive');
    expect(labelOf(0.049)).toBe('neutral');
    expect(labelOf(-0.049)).toBe('neutral');
    expect(labelOf(-0.05)).toBe('negative');
  });
});
