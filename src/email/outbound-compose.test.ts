import { describe, expect, it } from 'vitest';
import {
  baseAddress,
  fallbackAddress,
  fromName,
  outboundMessageId,
  plusAddress,
  replyCc,
  replySubject,
  threadReferences,
} from './outbound-compose.ts';

describe('reply subject', () => {
  it('adds one "Re:" and the ticket token, however often the customer wrote "Re:"', () => {
    expect(replySubject('Broken lid', 42)).toBe('Re: Broken lid [#42]');
    expect(replySubject('Re: Broken lid', 42)).toBe('Re: Broken lid [#42]');
    expect(replySubject('RE: re:Re[2]: Broken lid', 42)).toBe('Re: Broken lid [#42]');
    expect(replySubject('Re: Broken lid [#42]', 42)).toBe('Re: Broken lid [#42]');
    expect(replySubject('Broken lid [#7]', 42)).toBe('Re: Broken lid [#7] [#42]');
    expect(replySubject('Recipe question', 3)).toBe('Re: Recipe question [#3]');
    expect(replySubject('Your order is late', 3, true)).toBe('Your order is late [#3]');
  });
});

describe('references', () => {
  it('keeps every id of a short thread in order, once each', () => {
    expect(threadReferences(['<a>', '<b>', '<a>', '<c>'])).toEqual(['<a>', '<b>', '<c>']);
  });

  it('keeps the first and the latest ids of a long thread', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `<m${i}@x>`);
    const kept = threadReferences(ids);
    expect(kept).toHaveLength(20);
    expect(kept[0]).toBe('<m0@x>');
    expect(kept.slice(1)).toEqual(ids.slice(11));
  });
});

describe('addresses', () => {
  it('builds plus-addresses and Message-IDs on the From domain', () => {
    expect(plusAddress('help@shop.example', 1234)).toBe('help+1234@shop.example');
    expect(outboundMessageId('help@Shop.Example', 'abc')).toBe('<rapport.abc@shop.example>');
    expect(outboundMessageId('help@shop.example')).toMatch(/^<rapport\.[0-9a-f-]{36}@shop\.example>$/);
    expect(baseAddress(' Help+12@Shop.Example ')).toBe('help@shop.example');
  });

  it('keeps the Cc without our own addresses, their plus-addresses or the To recipient', () => {
    const cc = replyCc(
      [
        'Boss@Customer.example',
        'help@shop.example',
        'help+12@shop.example',
        'me@customer.example',
        'boss@customer.example',
        'junk',
      ],
      ['help@shop.example'],
      ['me@customer.example'],
    );
    expect(cc).toEqual(['boss@customer.example']);
  });

  it('names the sender "Agent (Brand)" and falls back to the public host', () => {
    expect(fromName('Ada Agent', 'Shop')).toBe('Ada Agent (Shop)');
    expect(fromName(null, 'Shop')).toBe('Shop');
    expect(fallbackAddress('https://help.shop.example:8443/x')).toBe('support@help.shop.example');
    expect(fallbackAddress(undefined)).toBe('support@localhost');
    expect(fallbackAddress('not a url')).toBe('support@localhost');
  });
});
