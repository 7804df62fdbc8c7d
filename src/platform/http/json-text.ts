// PostgreSQL text and jsonb cannot hold U+0000, so a NUL that arrives escaped in JSON would fail the
// write as an internal error. It carries no meaning in support text: drop it before parsing.
// The lookbehind skips `\\u0000`, an escaped backslash followed by the letters "u0000".
const ESCAPED_NUL = /(?<=(?:^|[^\\])(?:\\\\)*)\\u0000/g;

/** JSON text without escaped NUL characters (raw NUL bytes are not valid JSON and fail parsing anyway). */
export function withoutNulEscapes(json: string): string {
  return json.includes('\\u0000') ? json.replace(ESCAPED_NUL, '') : json;
}
