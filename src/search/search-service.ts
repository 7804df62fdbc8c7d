import { sql } from 'drizzle-orm';
import { searchCustomers } from '../customers/customer-service.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { escapeHtmlSql, HEADLINE_MARKERS, headlineToHtml, markMatches } from './search-highlight.ts';

export type SearchInput = { q: string; limit: number };

type MessageKind = 'customer_message' | 'public_reply' | 'internal_note';

// Stray marker characters in stored text are dropped, so every marker in a headline is ts_headline's.
const forHeadline = (column: string) => sql.raw(escapeHtmlSql(`translate(${column}, chr(1) || chr(2), '')`));

async function searchTickets(db: Db, actor: Actor, q: string, number: number | null, limit: number) {
  const rows = await queryRows<{
    id: string;
    number: number;
    subject: string;
    status: string;
    headline: string;
  }>(
    db,
    sql`SELECT t.id, t.number, t.subject, t.status,
          ts_headline('simple', ${forHeadline('t.subject')}, query, ${`${HEADLINE_MARKERS}, HighlightAll=true`}) AS headline
        FROM tickets t, websearch_to_tsquery('simple', ${q}) AS query
        WHERE t.workspace_id = ${actor.workspaceId}
          AND (t.search @@ query OR t.number = ${number ?? -1})
        ORDER BY t.number = ${number ?? -1} DESC, ts_rank(t.search, query) DESC, t.last_activity_at DESC, t.id
        LIMIT ${limit}`,
  );
  return rows.map((row) => ({
    id: row.id,
    number: Number(row.number),
    subject: row.subject,
    status: row.status,
    highlight: headlineToHtml(row.headline),
  }));
}

async function searchMessages(db: Db, actor: Actor, q: string, limit: number) {
  // Rank and cut first, then build headlines for the few rows shown: ts_headline is the costly part.
  const rows = await queryRows<{
    id: string;
    ticket_id: string;
    number: number;
    subject: string;
    kind: MessageKind;
    headline: string;
  }>(
    db,
    sql`SELECT m.id, m.ticket_id, t.number, t.subject, m.kind,
          ts_headline('simple', ${forHeadline('m.body_text')}, m.query,
            ${`${HEADLINE_MARKERS}, MaxWords=35, MinWords=15`}) AS headline
        FROM (
          SELECT m.id, m.ticket_id, m.kind, m.body_text, query, ts_rank(m.search, query) AS rank, m.created_at
          FROM messages m, websearch_to_tsquery('simple', ${q}) AS query
          WHERE m.workspace_id = ${actor.workspaceId} AND m.search @@ query
          ORDER BY rank DESC, m.created_at DESC, m.id
          LIMIT ${limit}
        ) m
        JOIN tickets t ON t.id = m.ticket_id
        ORDER BY m.rank DESC, m.created_at DESC, m.id`,
  );
  return rows.map((row) => ({
    id: row.id,
    ticketId: row.ticket_id,
    ticketNumber: Number(row.number),
    ticketSubject: row.subject,
    kind: row.kind,
    highlight: headlineToHtml(row.headline),
  }));
}

async function findCustomers(db: Db, actor: Actor, q: string, limit: number) {
  const { data } = await searchCustomers(db, actor, { q, limit });
  return data.map((customer) => {
    const email = customer.identities.find((identity) => identity.kind === 'email')?.value ?? null;
    const needle = q.toLowerCase();
    // Show the name when it matched; else the identity that did, so the agent sees why it came up.
    const matched = customer.name.toLowerCase().includes(needle)
      ? customer.name
      : (customer.identities.find((identity) => identity.value.toLowerCase().includes(needle))?.value ??
        customer.name);
    return { id: customer.id, name: customer.name, email, highlight: markMatches(matched, q) };
  });
}

/**
 * One search box over the workspace's tickets (subject, or "#123" for a number), messages (internal notes
 * included, marked by kind) and customers (name, email, phone). Highlights are safe HTML: the text is
 * escaped and only the matches are wrapped in <mark>.
 */
export async function search(db: Db, actor: Actor, input: SearchInput) {
  const q = input.q.trim();
  const number = /^#?(\d{1,9})$/.exec(q)?.[1];
  const [tickets, messages, customers] = await Promise.all([
    searchTickets(db, actor, q, number ? Number(number) : null, input.limit),
    searchMessages(db, actor, q, input.limit),
    findCustomers(db, actor, q, input.limit),
  ]);
  return { tickets, messages, customers };
}
