import { describe, expect, it } from 'vitest';
import { escapeHtml, headlineToHtml, markMatches, START, STOP } from './search-highlight.ts';

describe('headlineToHtml', () => {
  it('turns only the markers into <mark> and lets no tag through', () => {
    const headline = `&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; my ${START}parcel${STOP} &amp; <mark>"raw"</mark>`;
    expect(headlineToHtml(headline)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; my <mark>parcel</mark> &amp; &lt;mark&gt;&quot;raw&quot;&lt;/mark&gt;',
    );
  });

  it('never leaves a <mark> open or closes one that was not opened', () => {
    expect(headlineToHtml(`${STOP}a ${START}b ${START}c`)).toBe('a <mark>b c</mark>');
  });
});

describe('markMatches', () => {
  it('marks every case-insensitive occurrence and escapes the rest', () => {
    expect(markMatches('Anna <Annabel> ANNA', 'anna')).toBe(
      '<mark>Anna</mark> &lt;<mark>Anna</mark>bel&gt; <mark>ANNA</mark>',
    );
  });

  it('escapes without marks when nothing matches', () => {
    expect(markMatches("O'Brien & co", 'zed')).toBe(escapeHtml("O'Brien & co"));
    expect(markMatches('x', '  ')).toBe('x');
  });
});
