import { Marked } from 'marked';
import sanitize from 'sanitize-html';
import { htmlToText } from '../platform/html.ts';

// A private instance: another capability configuring the global `marked` must not change articles.
const marked = new Marked({ gfm: true, breaks: false, async: false });

const options: sanitize.IOptions = {
  allowedTags: [...sanitize.defaults.allowedTags, 'img', 'del', 'ins', 'sub', 'sup', 'h1', 'h2', 'input'],
  allowedAttributes: {
    a: ['href', 'name', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['align'],
    th: ['align'],
    code: ['class'],
    input: ['type', 'checked', 'disabled'],
    '*': ['dir', 'lang'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: {
    a: sanitize.simpleTransform('a', { rel: 'noopener noreferrer' }),
    // Only GFM task-list checkboxes survive, and never as a live form control.
    input: (_tag, attribs) =>
      attribs.type === 'checkbox'
        ? {
            tagName: 'input',
            attribs: {
              type: 'checkbox',
              disabled: '',
              ...(attribs.checked !== undefined && { checked: '' }),
            },
          }
        : { tagName: 'span', attribs: {} },
  },
};

/** An article's Markdown as HTML safe to serve (scripts, handlers, styles and odd schemes removed) and as plain text. */
export function renderMarkdown(markdown: string): { html: string; text: string } {
  const html = sanitize(marked.parse(markdown) as string, options);
  return { html, text: htmlToText(html) };
}

/** The first sentences of an article's text, cut at a word, for result lists. */
export function excerptOf(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max * 0.6))}…`;
}
