import { describe, expect, it } from 'vitest';
import { withoutNulEscapes } from './json-text.ts';

describe('withoutNulEscapes', () => {
  it('drops escaped NUL characters wherever they are, and nothing else', () => {
    expect(JSON.parse(withoutNulEscapes('{"a":"x\\u0000y\\u0000\\u0000","b":["\\u0000"]}'))).toEqual({
      a: 'xy',
      b: [''],
    });
    expect(withoutNulEscapes('{"a":"plain"}')).toBe('{"a":"plain"}');
  });

  it('keeps an escaped backslash followed by the letters u0000', () => {
    const json = JSON.stringify({ path: 'C:\\u0000\\dir' });
    expect(JSON.parse(withoutNulEscapes(json))).toEqual({ path: 'C:\\u0000\\dir' });
    expect(JSON.parse(withoutNulEscapes('"\\\\\\u0000"'))).toBe('\\');
  });
});
