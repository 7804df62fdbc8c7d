// ts_headline marks matches with these control characters; they cannot survive as markup, so the only
// <mark> tags in a highlight are the ones put there afterwards.
export const START = '\u0001';
export const STOP = '\u0002';
export const HEADLINE_MARKERS = `StartSel=${START}, StopSel=${STOP}`;

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => entities[c]!);

/**
 * The same escaping in SQL, applied before ts_headline: its parser drops anything that looks like an HTML
 * tag, so unescaped `<script>` would vanish from the highlight instead of showing as text. Entities are
 * single tokens to it and come through whole.
 */
export const escapeHtmlSql = (expression: string) =>
  `replace(replace(replace(replace(replace(${expression}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')`;

/**
 * Turns a ts_headline of escaped text into HTML: matches in <mark>…</mark>. Any markup character still
 * there is escaped again (the `&` of the entities stays), so no tag can come from the text itself.
 */
export function headlineToHtml(headline: string): string {
  let open = false;
  let html = '';
  for (const char of headline.replace(/[<>"']/g, (c) => entities[c]!)) {
    if (char === START) {
      if (!open) html += '<mark>';
      open = true;
    } else if (char === STOP) {
      if (open) html += '</mark>';
      open = false;
    } else html += char;
  }
  return open ? `${html}</mark>` : html;
}

/** Safe HTML of `text` with each case-insensitive occurrence of `needle` in <mark>…</mark>. */
export function markMatches(text: string, needle: string): string {
  const wanted = needle.trim().toLowerCase();
  if (!wanted) return escapeHtml(text);
  const lower = text.toLowerCase();
  // A few letters change length when lower-cased; then positions would not line up, so mark nothing.
  if (lower.length !== text.length) return escapeHtml(text);
  let html = '';
  let from = 0;
  for (let at = lower.indexOf(wanted); at !== -1; at = lower.indexOf(wanted, from)) {
    html += `${escapeHtml(text.slice(from, at))}<mark>${escapeHtml(text.slice(at, at + wanted.length))}</mark>`;
    from = at + wanted.length;
  }
  return html + escapeHtml(text.slice(from));
}
