import { sql } from 'drizzle-orm';
import { getCustomer } from '../customers/customer-service.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import type { CreatedCursor } from '../platform/http/cursor.ts';

export type TimelineEntry = {
  kind: 'ticket' | 'message' | 'csat' | 'event';
  id: string;
  at: Date;
  ticketId: string | null;
  ticketNumber: number | null;
  /** Ticket subject, message excerpt, CSAT comment or the event's type. */
  title: string;
  /** Ticket status, message kind, event type or "csat". */
  detail: string;
  channel: string | null;
  score: number | null;
  data: Record<string, unknown> | null;
};

/**
 * Tickets, messages from every channel, CSAT answers and business events of one customer, newest first,
 * in pages of `limit` after the keyset position `cursor`. Throws not_found for a customer of another workspace.
 */
export async function customerTimeline(
  db: Db,
  actor: Actor,
  customerId: string,
  page: { cursor?: CreatedCursor | undefined; limit: number },
): Promise<{ data: TimelineEntry[]; nextCursor: CreatedCursor | null }> {
  const customer = await getCustomer(db, actor, customerId);
  const ws = actor.workspaceId;
  const before = page.cursor ? new Date(page.cursor.createdAt) : new Date('9999-12-31T00:00:00Z');
  const afterId = page.cursor?.id ?? 'ffffffff-ffff-ffff-ffff-ffffffffffff';
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT * FROM (
      SELECT 'ticket' AS kind, t.id, t.created_at AS at, t.id AS ticket_id, t.number AS ticket_number,
        t.subject AS title, t.status::text AS detail, t.channel::text AS channel, NULL::int AS score, NULL::jsonb AS data
      FROM tickets t WHERE t.workspace_id = ${ws} AND t.customer_id = ${customer.id} AND t.created_at <= ${before}
      UNION ALL
      SELECT 'message', m.id, m.created_at, t.id, t.number, left(m.body_text, 280), m.kind::text, m.channel::text, NULL, NULL
      FROM messages m JOIN tickets t ON t.id = m.ticket_id
      WHERE t.workspace_id = ${ws} AND t.customer_id = ${customer.id} AND m.created_at <= ${before}
      UNION ALL
      SELECT 'csat', r.id, r.answered_at, r.ticket_id, t.number, coalesce(r.comment, ''), r.kind, NULL, r.score, NULL
      FROM survey_responses r LEFT JOIN tickets t ON t.id = r.ticket_id
      WHERE r.workspace_id = ${ws} AND r.customer_id = ${customer.id} AND r.answered_at <= ${before}
      UNION ALL
      SELECT 'event', e.id, e.occurred_at, NULL, NULL, e.type, e.type, NULL, NULL, e.data
      FROM customer_events e WHERE e.workspace_id = ${ws} AND e.customer_id = ${customer.id} AND e.occurred_at <= ${before}
    ) AS timeline WHERE (at, id) < (${before}::timestamptz, ${afterId}::uuid) ORDER BY at DESC, id DESC LIMIT ${page.limit + 1}`,
  );
  const data = rows.slice(0, page.limit).map(
    (row): TimelineEntry => ({
      kind: row.kind as TimelineEntry['kind'],
      id: row.id as string,
      at: new Date(row.at as string),
      ticketId: (row.ticket_id as string | null) ?? null,
      ticketNumber: row.ticket_number === null ? null : Number(row.ticket_number),
      title: (row.title as string) ?? '',
      detail: (row.detail as string) ?? '',
      channel: (row.channel as string | null) ?? null,
      score: row.score === null ? null : Number(row.score),
      data: (row.data as Record<string, unknown> | null) ?? null,
    }),
  );
  const last = data.at(-1);
  return {
    data,
    nextCursor: rows.length > page.limit && last ? { createdAt: last.at.toISOString(), id: last.id } : null,
  };
}
