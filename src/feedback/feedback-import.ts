import { createHash } from 'node:crypto';
import { normaliseIdentity } from '../customers/identities.ts';
import { parseCsv } from '../imports/import-csv.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden } from '../platform/errors.ts';
import { customerIdByEmail, insertFeedbackItem } from './feedback-items.ts';

export type FeedbackImportSummary = {
  created: number;
  skipped: number;
  rejected: { row: number; reason: string }[];
};

const BODY_COLUMNS = ['body', 'text', 'comment', 'review'];
const BODY_MAX = 10_000;

/**
 * Imports reviews and survey answers from elsewhere as feedback items (columns: body|text|comment|review,
 * rating, email, source, external_id, occurred_at), each linked to its customer when the email is known.
 * Safe to re-run: a row is known by its source and external_id (or, without one, by its content).
 */
export async function importFeedbackCsv(
  db: Db,
  actor: Actor,
  csv: string,
  now: Date,
): Promise<FeedbackImportSummary> {
  if (actor.role !== 'admin') throw forbidden('Only admins import feedback');
  const summary: FeedbackImportSummary = { created: 0, skipped: 0, rejected: [] };
  const rows = parseCsv(csv);
  for (const [index, row] of rows.entries()) {
    const line = index + 2;
    const body = (BODY_COLUMNS.map((name) => row[name]?.trim()).find(Boolean) ?? '').slice(0, BODY_MAX);
    if (!body) {
      summary.rejected.push({ row: line, reason: 'no text in body, text, comment or review' });
      continue;
    }
    const rating = row.rating?.trim() ? Number(row.rating) : null;
    if (rating !== null && !Number.isFinite(rating)) {
      summary.rejected.push({ row: line, reason: `rating "${row.rating}" is not a number` });
      continue;
    }
    const occurredAt = row.occurred_at?.trim() ? new Date(row.occurred_at) : now;
    if (Number.isNaN(occurredAt.getTime())) {
      summary.rejected.push({ row: line, reason: `occurred_at "${row.occurred_at}" is not a date` });
      continue;
    }
    const source = row.source?.trim().toLowerCase() || 'import';
    const email = row.email?.trim() ? normaliseIdentity('email', row.email) : null;
    const externalId =
      row.external_id?.trim() ||
      createHash('sha256')
        .update(JSON.stringify([body, email, row.occurred_at ?? '']))
        .digest('hex')
        .slice(0, 32);
    const inserted = await db.transaction(async (tx) => {
      const customerId = await customerIdByEmail(tx, actor.workspaceId, email);
      return insertFeedbackItem(tx, {
        workspaceId: actor.workspaceId,
        source,
        body,
        rating,
        email,
        customerId,
        externalId,
        occurredAt,
      });
    });
    if (inserted) summary.created++;
    else summary.skipped++;
  }
  return summary;
}
