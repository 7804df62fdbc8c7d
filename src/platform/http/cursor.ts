import { invalid } from '../errors.ts';

/** A keyset position (created_at, id) as an opaque string for `?cursor=`. */
export type CreatedCursor = { createdAt: string; id: string };

export const encodeCursor = (cursor: CreatedCursor) =>
  Buffer.from(JSON.stringify(cursor)).toString('base64url');

/** Throws validation_failed for anything this API did not hand out. */
export function decodeCursor(value: string): CreatedCursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as CreatedCursor;
    if (Number.isNaN(Date.parse(parsed.createdAt)) || !/^[0-9a-f-]{36}$/.test(parsed.id)) throw new Error();
    return parsed;
  } catch {
    throw invalid('The cursor is not valid', [
      { path: 'querystring.cursor', message: 'not a cursor from this API' },
    ]);
  }
}
