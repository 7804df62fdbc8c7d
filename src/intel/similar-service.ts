import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { messages } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { getTicket } from '../tickets/ticket-queries.ts';
import { adaptReply, queryTerms, rankSimilar } from './similar-rank.ts';

const CANDIDATES = 50;

export type SimilarTicket = {
  ticketId: string;
  number: number;
  subject: string;
  status: string;
  solvedAt: Date | null;
  score: number;
  reply: { messageId: string; body: string; draft: string };
};

type CandidateRow = {
  id: string;
  number: number;
  subject: string;
  status: string;
  solved_at: Date | string | null;
  customer_name: string;
};

/** Solved tickets whose subject or customer messages share the query's words, by full-text rank. */
async function candidates(db: Db, workspaceId: string, ticketId: string, terms: string[]) {
  if (terms.length === 0) return [];
  // Prefix matches meet the stemmed terms again: "refund:*" finds "refunds" and "refunded".
  const tsquery = terms.map((term) => `${term}:*`).join(' | ');
  return queryRows<CandidateRow>(
    db,
    sql`WITH q AS (SELECT to_tsquery('simple', ${tsquery}) AS q),
    hits AS (
      SELECT m.ticket_id AS id, ts_rank(m.search, q.q) AS r
        FROM messages m, q
       WHERE m.workspace_id = ${workspaceId} AND m.kind = 'customer_message' AND m.search @@ q.q
      UNION ALL
      SELECT t.id, 2 * ts_rank(t.search, q.q) FROM tickets t, q
       WHERE t.workspace_id = ${workspaceId} AND t.search @@ q.q
    )
    SELECT t.id, t.number, t.subject, t.status, t.solved_at, c.name AS customer_name
      FROM hits h
      JOIN tickets t ON t.id = h.id
      JOIN customers c ON c.id = t.customer_id
     WHERE t.workspace_id = ${workspaceId} AND t.status IN ('solved', 'closed')
       AND t.id <> ${ticketId} AND t.merged_into_id IS NULL
     GROUP BY t.id, c.name
     ORDER BY sum(h.r) DESC, t.id
     LIMIT ${CANDIDATES}`,
  );
}

async function threads(db: Db, workspaceId: string, ticketIds: string[]) {
  const rows = await db
    .select({ id: messages.id, ticketId: messages.ticketId, kind: messages.kind, body: messages.bodyText })
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, workspaceId),
        inArray(messages.ticketId, ticketIds),
        inArray(messages.kind, ['customer_message', 'public_reply']),
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id));
  const byTicket = new Map<string, { customer: string[]; lastReply?: { id: string; body: string } }>();
  for (const row of rows) {
    const thread = byTicket.get(row.ticketId) ?? { customer: [] };
    if (row.kind === 'customer_message') thread.customer.push(row.body);
    else thread.lastReply = { id: row.id, body: row.body };
    byTicket.set(row.ticketId, thread);
  }
  return byTicket;
}

/**
 * The solved tickets most like this one (TF-IDF cosine over subject and customer messages), each with
 * the last public reply sent on it and that reply as a draft for this customer. Only solved tickets
 * with a reply count. Throws not_found for a ticket the actor cannot see.
 */
export async function similarTickets(
  db: Db,
  actor: Actor,
  ticketId: string,
  options: { limit?: number | undefined } = {},
): Promise<SimilarTicket[]> {
  const ticket = await getTicket(db, actor, ticketId);
  const own = await db
    .select({ body: messages.bodyText })
    .from(messages)
    .where(
      and(
        eq(messages.ticketId, ticketId),
        eq(messages.workspaceId, actor.workspaceId),
        eq(messages.kind, 'customer_message'),
      ),
    )
    .orderBy(asc(messages.createdAt));
  const open = { subject: ticket.subject, customerTexts: own.map((m) => m.body) };
  const found = await candidates(
    db,
    actor.workspaceId,
    ticketId,
    queryTerms(open.subject, open.customerTexts),
  );
  if (found.length === 0) return [];
  const bodies = await threads(
    db,
    actor.workspaceId,
    found.map((c) => c.id),
  );
  const withReply = found.filter((c) => bodies.get(c.id)?.lastReply);
  const ranked = rankSimilar(
    open,
    withReply.map((c) => ({ id: c.id, subject: c.subject, customerTexts: bodies.get(c.id)!.customer })),
  );
  const byId = new Map(withReply.map((c) => [c.id, c]));
  return ranked.slice(0, options.limit ?? 5).map(({ id, score }) => {
    const row = byId.get(id)!;
    const reply = bodies.get(id)!.lastReply!;
    return {
      ticketId: id,
      number: row.number,
      subject: row.subject,
      status: row.status,
      solvedAt: row.solved_at ? new Date(row.solved_at) : null,
      score,
      reply: {
        messageId: reply.id,
        body: reply.body,
        draft: adaptReply(reply.body, row.customer_name, ticket.customer.name),
      },
    };
  });
}
