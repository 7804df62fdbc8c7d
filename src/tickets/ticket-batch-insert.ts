import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { customerWanted } from '../customers/customer-upsert.ts';
import type { Identity } from '../customers/identities.ts';
import type { AnyActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { type PreparedStatement, preparedStatement } from '../platform/db/prepared.ts';
import { recordEventCte } from '../platform/outbox/outbox.ts';
import { newTicketCounts, viewDeltas } from './ticket-counts.ts';
import { type NewTicket, ticketFromRow, ticketValues } from './ticket-insert.ts';
import type { TicketWithCustomer } from './ticket-queries.ts';
import { ticketSummarySql } from './ticket-records.ts';

/** A new ticket for insertTicketBatch, with the ids it will get if it is written. */
export type BatchItem = { actor: AnyActor; ticket: NewTicket; ticketId: string; identity: Identity | null };

/**
 * A batch item for the ticket, or undefined when insertTicketBatch cannot take it: a customer named by
 * several identities (which may belong to different customers, be attached, race each other) takes the
 * single-ticket statement. One identity or a customer id covers the API, email and chat.
 */
export function batchItem(actor: AnyActor, ticket: NewTicket): BatchItem | undefined {
  const base = { actor, ticket, ticketId: randomUUID() };
  if ('id' in ticket.customer) return { ...base, identity: null };
  const { wanted } = customerWanted(ticket.customer);
  return wanted.length === 1 ? { ...base, identity: wanted[0]! } : undefined;
}

/** Items naming one customer identity share one key: the batch makes one customer for them. */
export const identityKey = (item: BatchItem) =>
  item.identity && `${item.actor.workspaceId}|${item.identity.kind}|${item.identity.value}`;

const items = sql`jsonb_to_recordset(${sql.placeholder('items')}::jsonb) AS i (
  ord int, id uuid, workspace_id uuid, number_sequence text, actor_id uuid, field_keys text[],
  known_customer uuid, grp int, identity_kind identity_kind, identity_value text, new_customer_id uuid,
  new_name text, rename text, subject text, status ticket_status, priority ticket_priority,
  channel channel, assignee_id uuid, team_id uuid, tags text[], custom_fields jsonb,
  message_kind message_kind, author_user_id uuid, body_text text, body_html text, attachments jsonb,
  channel_meta jsonb, event_changes jsonb, counts_keys text[], counts_deltas int[]
)`;

const primaryEmail = sql`(SELECT ci.value FROM customer_identities ci
  WHERE ci.customer_id = c.id AND ci.kind = 'email' ORDER BY ci.created_at LIMIT 1)`;

// The single-ticket statement (ticket-insert.ts) row by row; what differs is the customer part: items
// naming the same identity form a group (`grp`), found or created once. Ids come from the caller so
// that rows can be matched to items (RETURNING cannot say which input row it came from). Lookups of
// existing rows are LATERAL ... LIMIT 1: the generic plan of a prepared statement would otherwise
// hash-join the whole table.
let statement: PreparedStatement | undefined;
const batchStatement = () =>
  (statement ??= preparedStatement(sql`WITH input AS (SELECT * FROM ${items}), item AS (
      -- An item lacking a required field writes nothing (not even its customer) and gets no row back.
      SELECT input.* FROM input WHERE NOT EXISTS (
        SELECT 1 FROM custom_field_definitions d
        WHERE d.workspace_id = input.workspace_id AND d.entity = 'ticket' AND d.required
          AND NOT (d.key = ANY(input.field_keys))
      )
    ), wanted AS (
      SELECT DISTINCT ON (grp) grp, workspace_id, identity_kind AS kind, identity_value AS value,
        new_customer_id, new_name
      FROM item WHERE grp IS NOT NULL ORDER BY grp, ord
    ), found AS (
      SELECT wanted.grp, hit.customer_id AS id FROM wanted CROSS JOIN LATERAL (
        SELECT ci.customer_id FROM customer_identities ci
        WHERE ci.workspace_id = wanted.workspace_id AND ci.kind = wanted.kind AND ci.value = wanted.value
        LIMIT 1
      ) AS hit
    ), created AS (
      -- As if the group's tickets came one after another: the first one's name, or else the first
      -- name a later one gives (which would rename the nameless customer).
      INSERT INTO customers (id, workspace_id, name)
      SELECT wanted.new_customer_id, wanted.workspace_id, coalesce(nullif(wanted.new_name, ''), (
          SELECT later.rename FROM item later WHERE later.grp = wanted.grp AND later.rename IS NOT NULL
          ORDER BY later.ord LIMIT 1), '')
      FROM wanted WHERE NOT EXISTS (SELECT 1 FROM found WHERE found.grp = wanted.grp)
      RETURNING id, name
    ), claimed AS (
      -- No ON CONFLICT: an identity claimed meanwhile fails the batch, whose items then go one by one.
      -- Sorted, so that two batches claiming the same identities wait for each other instead of deadlocking.
      INSERT INTO customer_identities (workspace_id, customer_id, kind, value)
      SELECT wanted.workspace_id, created.id, wanted.kind, wanted.value
      FROM wanted JOIN created ON created.id = wanted.new_customer_id
      ORDER BY wanted.workspace_id, wanted.kind, wanted.value
      RETURNING 1
    ), renaming AS (
      SELECT DISTINCT ON (found.id) found.id, item.rename FROM item JOIN found USING (grp)
      WHERE item.rename IS NOT NULL ORDER BY found.id, item.ord
    ), renamed AS (
      UPDATE customers c SET name = (SELECT renaming.rename FROM renaming WHERE renaming.id = c.id)
      WHERE c.id = ANY(ARRAY(SELECT id FROM renaming)) AND c.name = ''
      RETURNING c.id, c.name
    ), customer AS (
      SELECT item.ord, c.id, coalesce(renamed.name, c.name) AS name, ${primaryEmail} AS email
      FROM item LEFT JOIN found USING (grp)
      CROSS JOIN LATERAL (
        SELECT c.id, c.name FROM customers c WHERE c.id = coalesce(item.known_customer, found.id) LIMIT 1
      ) AS c
      LEFT JOIN renamed ON renamed.id = c.id
      UNION ALL
      SELECT item.ord, created.id, created.name,
        CASE WHEN item.identity_kind = 'email' THEN item.identity_value END
      FROM item JOIN created ON created.id = item.new_customer_id
      -- Reads the claims so that a lost race always surfaces as the unique violation.
      WHERE (SELECT count(*) FROM claimed) >= 0
    ), ticket AS (
      INSERT INTO tickets (id, workspace_id, number, subject, status, priority, channel, customer_id,
        assignee_id, team_id, tags, custom_fields, created_by_user_id, solved_at)
      SELECT item.id, item.workspace_id, nextval(item.number_sequence::regclass)::int, item.subject,
        item.status, item.priority, item.channel, customer.id, item.assignee_id, item.team_id, item.tags,
        item.custom_fields, item.actor_id, CASE WHEN item.status = 'solved' THEN now() END
      FROM item JOIN customer USING (ord) ORDER BY item.ord
      RETURNING *
    ), message AS (
      INSERT INTO messages (workspace_id, ticket_id, kind, author_user_id, author_customer_id, channel,
        body_text, body_html, attachments, channel_meta)
      SELECT ticket.workspace_id, ticket.id, item.message_kind, item.author_user_id,
        CASE WHEN item.message_kind = 'customer_message' THEN ticket.customer_id END, ticket.channel,
        item.body_text, item.body_html, item.attachments, item.channel_meta
      FROM ticket JOIN item USING (id)
      RETURNING id, ticket_id
    ), tagged AS (
      INSERT INTO tags (workspace_id, name)
      SELECT DISTINCT ticket.workspace_id, tag FROM ticket, unnest(ticket.tags) AS tag ORDER BY 1, 2
      ON CONFLICT DO NOTHING
      RETURNING 1
    ), logged AS (
      INSERT INTO ticket_events (workspace_id, ticket_id, actor_user_id, type, changes)
      SELECT ticket.workspace_id, ticket.id, item.actor_id, 'ticket.created', item.event_changes
      FROM ticket JOIN item USING (id)
      RETURNING 1
    ), ${recordEventCte({
      workspaceId: sql`ticket.workspace_id`,
      type: 'ticket.created',
      payload: sql`jsonb_build_object('ticket', ${ticketSummarySql}, 'changes', item.event_changes,
        'actorId', item.actor_id::text, 'messageId', message.id)`,
      from: sql`ticket JOIN item USING (id) JOIN message ON message.ticket_id = ticket.id`,
      notify: false,
    })}, counted AS (
      -- One row per counter (an upsert may not touch a row twice), in a fixed order against deadlocks.
      INSERT INTO ticket_counts (workspace_id, view_key, shard, count)
      SELECT ticket.workspace_id, deltas.view_key, ${sql.placeholder('counts_shard')}::smallint,
        sum(deltas.delta)::int
      FROM ticket JOIN item USING (id),
        unnest(item.counts_keys, item.counts_deltas) AS deltas (view_key, delta)
      GROUP BY ticket.workspace_id, deltas.view_key ORDER BY 1, 2
      ON CONFLICT (workspace_id, view_key, shard) DO UPDATE SET count = ticket_counts.count + excluded.count
      RETURNING 1
    )
    -- Reading every entry fixes the order they run in, as in the single-ticket statement.
    SELECT ticket.*, customer.name AS customer_name, customer.email AS customer_email,
      (SELECT count(*) FROM tagged) AS tagged, (SELECT count(*) FROM logged) AS logged,
      (SELECT count(*) FROM event) AS events, (SELECT count(*) FROM counted) AS counted
    FROM ticket JOIN item USING (id) JOIN customer USING (ord)`));

function itemValues(item: BatchItem, ord: number, group: { grp: number; customerId: string } | undefined) {
  const { actor, ticket: t } = item;
  const customer = 'id' in t.customer ? undefined : customerWanted(t.customer);
  const deltas = viewDeltas(undefined, t);
  return {
    ...ticketValues(actor, t),
    ord,
    id: item.ticketId,
    known_customer: 'id' in t.customer ? t.customer.id : null,
    grp: group?.grp ?? null,
    identity_kind: item.identity?.kind ?? null,
    identity_value: item.identity?.value ?? null,
    new_customer_id: group?.customerId ?? null,
    new_name: customer?.newName ?? null,
    rename: customer?.rename ?? null,
    counts_keys: deltas.map(([key]) => key),
    counts_deltas: deltas.map(([, delta]) => delta),
  };
}

/**
 * Writes several new tickets in one statement, so one transaction: all of them or none. Resolves to
 * each item's ticket, or undefined for an item that wrote nothing (a required field missing, its
 * customer id gone), like insertNewTicket. Rejects as a whole (e.g. another request claimed one of the
 * new customers' identities first): the caller then runs the items one by one. Does not NOTIFY the
 * relays (see wakeRelaysSoon).
 */
export async function insertTicketBatch(
  db: Db,
  batch: BatchItem[],
): Promise<(TicketWithCustomer | undefined)[]> {
  const groups = new Map<string, { grp: number; customerId: string }>();
  const values = batch.map((item, ord) => {
    const key = identityKey(item);
    let group = key ? groups.get(key) : undefined;
    if (key && !group) {
      group = { grp: groups.size, customerId: randomUUID() };
      groups.set(key, group);
    }
    return itemValues(item, ord, group);
  });
  const rows = await batchStatement().rows<Record<string, unknown>>(db, {
    items: JSON.stringify(values),
    counts_shard: newTicketCounts(batch[0]!.ticket).counts_shard,
  });
  const byId = new Map(rows.map((row) => [row.id as string, ticketFromRow(row)]));
  return batch.map((item) => byId.get(item.ticketId));
}
