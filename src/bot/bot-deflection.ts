import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../platform/db/database.ts';

const WINDOW_HOURS = 72;

export type BotDeflection = { answered: number; deflected: number; rate: number | null };

/**
 * KPIS.md's bot deflection rate for attempts made in [from, to): of the questions the bot answered,
 * those the customer confirmed, or that ended with no customer reply on the ticket and no new ticket
 * from the same customer within 72 hours (judged only once the 72 hours have passed by `now`).
 */
export async function botDeflection(
  db: Db,
  scope: { workspaceId: string; from: Date; to: Date; channel?: string | undefined },
  now: Date,
): Promise<BotDeflection> {
  const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const window = sql`make_interval(hours => ${WINDOW_HOURS})`;
  const [row] = await queryRows<{ answered: number; deflected: number }>(
    db,
    sql`SELECT count(*)::int AS answered,
        count(*) FILTER (WHERE a.outcome = 'accepted' OR (a.outcome = 'pending'
          AND a.created_at + ${window} <= ${iso(now)}
          AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = a.ticket_id
            AND m.kind = 'customer_message' AND m.created_at > a.created_at
            AND m.created_at <= a.created_at + ${window})
          AND NOT EXISTS (SELECT 1 FROM tickets o WHERE o.workspace_id = a.workspace_id
            AND o.customer_id = t.customer_id AND o.id <> t.id
            AND o.created_at > a.created_at AND o.created_at <= a.created_at + ${window})))::int AS deflected
      FROM kb_bot_attempts a JOIN tickets t ON t.id = a.ticket_id
      WHERE a.workspace_id = ${scope.workspaceId} AND a.offered
        AND a.created_at >= ${iso(scope.from)} AND a.created_at < ${iso(scope.to)}
        ${scope.channel ? sql`AND a.channel = ${scope.channel}` : sql``}`,
  );
  const answered = row?.answered ?? 0;
  const deflected = row?.deflected ?? 0;
  return {
    answered,
    deflected,
    rate: answered ? Math.round((deflected / answered) * 10_000) / 10_000 : null,
  };
}
