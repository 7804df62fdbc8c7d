import type pg from 'pg';
import type { SmtpSink } from '../support/smtp-sink.ts';
import { sleep } from './cluster.ts';
import type { Ledger } from './load.ts';

/** What the database and the sink hold against what the clients were told. */
export type Tally = {
  acknowledged: { tickets: number; replies: number; emails: number; chats: number };
  /** Acknowledged but not stored. */
  lost: number;
  /** Stored more than once (acknowledged or not), or a reply mailed under two Message-IDs. */
  duplicated: number;
  /** Replies whose email has not reached the sink. */
  unsent: number;
  problems: string[];
};

const counts = async (client: pg.Client, query: string, keys: string[]) => {
  const { rows } = await client.query<{ key: string; n: number }>(query, [keys]);
  return new Map(rows.map((row) => [row.key, row.n]));
};

/** Compares the ledger with PostgreSQL: every acknowledged thing stored once, nothing stored twice. */
export async function tallyStored(client: pg.Client, ledger: Ledger): Promise<Tally> {
  const problems: string[] = [];
  let lost = 0;
  let duplicated = 0;
  const check = (what: string, stored: Map<string, number>, acknowledged: string[], tried: string[]) => {
    for (const key of acknowledged)
      if (!stored.get(key)) {
        lost++;
        problems.push(`${what} acknowledged but not stored: ${key}`);
      }
    for (const key of tried)
      if ((stored.get(key) ?? 0) > 1) {
        duplicated++;
        problems.push(`${what} stored ${stored.get(key)} times: ${key}`);
      }
  };
  const stored = (column: string, table: string, keys: string[], extra = '') =>
    counts(
      client,
      `SELECT ${column} AS key, count(*)::int AS n FROM ${table}
        WHERE ${column} = ANY($1) ${extra} GROUP BY ${column}`,
      keys,
    );
  const chatIds = ledger.chats.map((c) => c.clientId);
  const kinds = [
    {
      what: 'ticket',
      column: 'subject',
      table: 'tickets',
      acknowledged: ledger.tickets.map((t) => t.subject),
      tried: ledger.triedSubjects,
    },
    {
      what: 'reply',
      column: 'body_text',
      table: 'messages',
      acknowledged: ledger.replies.map((r) => r.body),
      tried: ledger.triedReplies,
    },
    // A redelivered email is answered 250 as a duplicate and stored as no second message.
    {
      what: 'email',
      column: 'message_id_header',
      table: 'inbound_emails',
      acknowledged: ledger.emails,
      tried: ledger.emails,
      extra: 'AND message_id IS NOT NULL',
    },
    {
      what: 'chat message',
      column: 'client_message_id',
      table: 'chat_messages',
      acknowledged: chatIds,
      tried: chatIds,
    },
  ];
  for (const kind of kinds)
    check(
      kind.what,
      await stored(kind.column, kind.table, kind.tried, kind.extra),
      kind.acknowledged,
      kind.tried,
    );
  return {
    acknowledged: {
      tickets: ledger.tickets.length,
      replies: ledger.replies.length,
      emails: ledger.emails.length,
      chats: ledger.chats.length,
    },
    lost,
    duplicated,
    unsent: 0,
    problems,
  };
}

/**
 * Waits (up to `timeoutMs`) until every acknowledged reply's email reached the sink, then checks each
 * reply went out under one Message-ID only (the sink may have it twice: at least once, same id).
 */
export async function tallyMailed(
  client: pg.Client,
  sink: SmtpSink,
  ledger: Ledger,
  tally: Tally,
  timeoutMs: number,
) {
  const ids = ledger.replies.map((r) => r.id);
  const deadline = Date.now() + timeoutMs;
  let headers = new Map<string, string[]>();
  let missing: string[] = ids;
  for (;;) {
    const { rows } = await client.query<{ message_id: string; header: string }>(
      `SELECT message_id, message_id_header AS header FROM outbound_emails
        WHERE kind = 'reply' AND message_id = ANY($1)`,
      [ids],
    );
    headers = new Map();
    for (const row of rows) headers.set(row.message_id, [...(headers.get(row.message_id) ?? []), row.header]);
    const seen = new Set(await sinkMessageIds(sink));
    missing = ids.filter((id) => !(headers.get(id) ?? []).some((header) => seen.has(header)));
    if (missing.length === 0 || Date.now() > deadline) break;
    await sleep(500);
  }
  tally.unsent = missing.length;
  for (const id of missing) tally.problems.push(`reply ${id} never reached the sink`);
  for (const [id, list] of headers)
    if (list.length > 1) {
      tally.duplicated++;
      tally.problems.push(`reply ${id} queued under ${list.length} Message-IDs`);
    }
  // From the sink's side: the mails that carry one reply's text carry one Message-ID between them.
  const byBody = new Map<string, Set<string>>();
  const bodies = new Set(ledger.replies.map((r) => r.body));
  for (const message of sink.messages) {
    const parsed = await message.parsed();
    const body = [...bodies].find((text) => (parsed.text ?? '').includes(text));
    if (body && parsed.messageId) byBody.set(body, (byBody.get(body) ?? new Set()).add(parsed.messageId));
  }
  for (const [body, set] of byBody)
    if (set.size > 1) {
      tally.duplicated++;
      tally.problems.push(`reply "${body}" reached the sink under ${set.size} Message-IDs`);
    }
}

const parsedIds = new WeakMap<object, string | undefined>();

async function sinkMessageIds(sink: SmtpSink): Promise<string[]> {
  const ids: string[] = [];
  for (const message of sink.messages) {
    if (!parsedIds.has(message)) parsedIds.set(message, (await message.parsed()).messageId);
    const id = parsedIds.get(message);
    if (id) ids.push(id);
  }
  return ids;
}

/**
 * Waits (up to `timeoutMs`) until every ticket of the workspace has its first-reply clock and every
 * clock's warning has fired or the first reply stopped it: the clocks are made by the outbox relay
 * and warned by a durable job, either of which a killed node may have held. Also no job that was
 * due stays unrun.
 */
export async function tallyJobs(client: pg.Client, workspaceId: string, tally: Tally, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ tickets: number; clocks: number; unwarned: number; stuck: number }>(
      `SELECT
         (SELECT count(*)::int FROM tickets WHERE workspace_id = $1) AS tickets,
         (SELECT count(*)::int FROM ticket_slas WHERE workspace_id = $1 AND metric = 'first_reply') AS clocks,
         (SELECT count(*)::int FROM ticket_slas WHERE workspace_id = $1 AND metric = 'first_reply'
            AND warned_at IS NULL AND completed_at IS NULL) AS unwarned,
         (SELECT count(*)::int FROM pgboss.job WHERE name = 'sla.check' AND data->>'workspaceId' = $1::text
            AND data->>'kind' = 'warning' AND state NOT IN ('completed', 'cancelled')) AS stuck`,
      [workspaceId],
    );
    const state = rows[0]!;
    const settled = state.clocks === state.tickets && state.unwarned === 0 && state.stuck === 0;
    if (settled) return;
    if (Date.now() > deadline) {
      const { rows: samples } = await client.query(
        `SELECT t.channel, s.due_at, s.started_at, s.target_minutes,
           (SELECT json_agg(json_build_object('state', j.state, 'kind', j.data->>'kind', 'due', j.data->>'dueAt',
              'start', j.start_after, 'out', j.output)) FROM pgboss.job j
            WHERE j.name = 'sla.check' AND j.data->>'ticketSlaId' = s.id::text) AS jobs
         FROM ticket_slas s JOIN tickets t ON t.id = s.ticket_id
         WHERE s.workspace_id = $1 AND s.metric = 'first_reply' AND s.warned_at IS NULL AND s.completed_at IS NULL
         LIMIT 3`,
        [workspaceId],
      );
      tally.problems.push(`unwarned clocks, for example: ${JSON.stringify(samples)}`);
      tally.problems.push(
        `scheduled work unfinished: ${state.tickets} tickets, ${state.clocks} first-reply clocks, ` +
          `${state.unwarned} clocks never warned, ${state.stuck} warning jobs not completed`,
      );
      return;
    }
    await sleep(500);
  }
}
