import { parseCsv } from '../imports/import-csv.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import { parseEventInput, recordBusinessEvent } from './event-service.ts';

export type EventLine = { line: number; value: unknown } | { line: number; error: string };
export type EventImportSummary = {
  created: number;
  skipped: number;
  rejected: { line: number; reason: string }[];
};

/** One JSON object a line; blank lines are skipped. */
export function ndjsonEvents(text: string): EventLine[] {
  const lines: EventLine[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    if (!raw.trim()) continue;
    try {
      lines.push({ line: index + 1, value: JSON.parse(raw) });
    } catch {
      lines.push({ line: index + 1, error: 'not valid JSON' });
    }
  }
  return lines;
}

const number = (text: string | undefined) => (text?.trim() ? Number(text) : undefined);

/**
 * CSV columns: id, type, occurred_at, email, phone, external_id, name, order_number, total, currency,
 * sku, item_name, quantity, price, data (a JSON object). Rows of an order that share an id are its items.
 */
export function csvEvents(text: string): EventLine[] {
  const out: EventLine[] = [];
  const orders = new Map<string, { line: number; value: Record<string, unknown> }>();
  for (const [index, row] of parseCsv(text).entries()) {
    const line = index + 2;
    let data: Record<string, unknown> = {};
    if (row.data?.trim()) {
      try {
        data = JSON.parse(row.data) as Record<string, unknown>;
      } catch {
        out.push({ line, error: 'the data column is not valid JSON' });
        continue;
      }
    }
    const type = row.type?.trim() ?? '';
    const item = row.sku?.trim()
      ? {
          sku: row.sku.trim(),
          name: row.item_name?.trim() || undefined,
          quantity: number(row.quantity) ?? 1,
          price: number(row.price),
        }
      : null;
    const id = row.id?.trim() || undefined;
    const known = id ? orders.get(id) : undefined;
    if (known && item) {
      (known.value.data as { items: unknown[] }).items.push(item);
      continue;
    }
    if (type.startsWith('order.')) {
      data = {
        ...data,
        number: row.order_number?.trim() || data.number || id,
        ...(row.total?.trim() && { total: number(row.total) }),
        ...(row.currency?.trim() && { currency: row.currency.trim() }),
        items: item ? [item] : [],
      };
    } else if (row.order_number?.trim()) data = { ...data, order_number: row.order_number.trim() };
    const customer = Object.fromEntries(
      (['email', 'phone', 'external_id', 'name'] as const)
        .filter((key) => row[key]?.trim())
        .map((key) => [key, row[key]!.trim()]),
    );
    const value = {
      ...(id && { id }),
      customer,
      type,
      ...(row.occurred_at?.trim() && { occurred_at: toIso(row.occurred_at.trim()) }),
      data,
    };
    const entry = { line, value };
    if (id && type.startsWith('order.')) orders.set(id, entry);
    out.push(entry);
  }
  return out;
}

// "2011-10-01 08:26:00" is taken as UTC; anything with a zone is kept as written.
const toIso = (text: string) =>
  /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(text)
    ? `${text.replace(' ', 'T')}${text.length === 16 ? ':00' : ''}Z`
    : text;

const reasonOf = (error: DomainError) =>
  [
    error.message,
    ...(error.issues ?? []).map((issue) => `${issue.path || '(event)'}: ${issue.message}`),
  ].join('; ');

/**
 * Records every event through recordBusinessEvent, each in its own transaction: a bad line is reported
 * with its number and the rest still go in. Events with an id already stored count as skipped.
 */
export async function importEvents(
  db: Db,
  actor: Actor,
  lines: EventLine[],
  progress: (done: number, total: number) => void = () => {},
): Promise<EventImportSummary> {
  const summary: EventImportSummary = { created: 0, skipped: 0, rejected: [] };
  const now = new Date();
  for (const [index, entry] of lines.entries()) {
    if ('error' in entry) summary.rejected.push({ line: entry.line, reason: entry.error });
    else {
      try {
        const { created } = await recordBusinessEvent(db, actor, parseEventInput(entry.value), now);
        if (created) summary.created++;
        else summary.skipped++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        summary.rejected.push({ line: entry.line, reason: reasonOf(error) });
      }
    }
    progress(index + 1, lines.length);
  }
  return summary;
}
