import { describe, expect, it } from 'vitest';
import { ownText, summarizeThread } from './summary-engine.ts';

const thread = [
  {
    id: 'm1',
    kind: 'customer_message',
    body:
      'My espresso machine stopped heating after two weeks. The light blinks red and the water stays cold. ' +
      'I already descaled it as the manual says. I use it every morning before work.\n\n' +
      '> On Monday, Support wrote:\n> old quoted text about something else entirely',
  },
  {
    id: 'm2',
    kind: 'public_reply',
    body:
      'Hi Jo, thanks for the details. A blinking red light usually means the heating element failed. ' +
      'Could you send a photo of the serial number on the base?',
  },
  {
    id: 'm3',
    kind: 'customer_message',
    body: 'Here is the photo of the serial number. Can I get a replacement machine instead of a repair?',
  },
  {
    id: 'm4',
    kind: 'internal_note',
    body: 'Serial is in the faulty batch from March. Warehouse has stock of the same model.',
  },
  {
    id: 'm5',
    kind: 'public_reply',
    body:
      'Thanks Jo. Your machine is from a batch with a known heating fault. ' +
      'I will send a replacement machine by Friday, and a courier will collect the old one.',
  },
];

describe('thread summary', () => {
  const summary = summarizeThread(thread);
  const texts = summary.sentences.map((s) => s.text);

  it('keeps a few key sentences in thread order', () => {
    expect(summary.sentenceCount).toBe(13);
    expect(summary.long).toBe(true);
    expect(summary.sentences.length).toBe(4);
    const order = summary.sentences.map((s) => thread.findIndex((m) => m.id === s.messageId));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('picks the opening problem, the customer question and the agent commitment', () => {
    expect(texts[0]).toBe('My espresso machine stopped heating after two weeks.');
    expect(summary.sentences[0]!.reasons).toContain('opening');
    expect(texts).toContain('Can I get a replacement machine instead of a repair?');
    const commitment = summary.sentences.find((s) => s.reasons.includes('commitment'))!;
    expect(commitment).toMatchObject({ messageId: 'm5', kind: 'public_reply' });
    expect(commitment.text).toMatch(/^I will send a replacement machine by Friday/);
  });

  it('skips quoted history and honours a sentence count', () => {
    expect(texts.join(' ')).not.toContain('quoted');
    expect(ownText('Thanks!\n\nOn Tue, 3 Mar 2026, Ann <a@b.c> wrote:\n> hello')).toBe('Thanks!\n');
    expect(summarizeThread(thread, 5).sentences).toHaveLength(5);
    expect(summarizeThread([]).sentences).toEqual([]);
    expect(summarizeThread([thread[2]!]).long).toBe(false);
  });
});
