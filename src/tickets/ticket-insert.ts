import { getTableColumns, sql } from 'drizzle-orm';
import { makePgArray } from 'drizzle-orm/pg-core';
import {
  type CustomerUpsertShape,
  customerUpsertCtes,
  customerUpsertPlan,
  knownCustomerCte,
} from '../customers/customer-upsert.ts';
import type { CustomerRef } from '../customers/identities.ts';
import { tickets } from '../db/schema/index.ts';
import type { Attachment } from '../db/schema/tickets.ts';
import type { AnyActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { type PreparedStatement, preparedStatement } from '../platform/db/prepared.ts';
import { ticketNumberSequence } from '../workspaces/workspace-service.ts';
import { countNewTicketCte, newTicketCounts, type TicketStatus } from './ticket-counts.ts';
import type { TicketWithCustomer } from './ticket-queries.ts';
import { logTicketEventCtes, rememberTicketTagsCte, type TicketRow } from './ticket-records.ts';
import type { Channel, Priority } from './ticket-service.ts';

/** A new ticket, checked and normalised by createTicket. */
export type NewTicket = {
  customer: CustomerRef | { id: string };
  subject: string;
  status: TicketStatus;
  priority: Priority;
  channel: Channel;
  assigneeId: string | null;
  teamId: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
  message: {
    outbound: boolean;
    bodyText: string;
    bodyHtml: string | null;
    attachments: Attachment[];
    channelMeta: Record<string, unknown>;
  };
};

const ticketColumns = Object.entries(getTableColumns(tickets));
const p = sql.placeholder;

/** What decides the statement's text; everything else is a placeholder value. */
type Shape = { customer: CustomerUpsertShape | 'known'; tagged: boolean; notify: boolean };

function buildStatement(shape: Shape): PreparedStatement {
  const fieldsComplete = sql`(SELECT complete FROM guard)`;
  const customer =
    shape.customer === 'known' ? knownCustomerCte() : customerUpsertCtes(shape.customer, fieldsComplete);
  return preparedStatement(sql`WITH guard AS (
      SELECT NOT EXISTS (
        SELECT 1 FROM custom_field_definitions
        WHERE workspace_id = ${p('workspace_id')}::uuid AND entity = 'ticket' AND required
          AND NOT (key = ANY(${p('field_keys')}::text[]))
      ) AS complete
    ), ${customer}, ticket AS (
      INSERT INTO tickets (workspace_id, number, subject, status, priority, channel, customer_id,
        assignee_id, team_id, tags, custom_fields, created_by_user_id, solved_at)
      SELECT ${p('workspace_id')}::uuid, nextval(${p('number_sequence')}::regclass)::int, ${p('subject')}::text,
        ${p('status')}::ticket_status, ${p('priority')}::ticket_priority, ${p('channel')}::channel, customer.id,
        ${p('assignee_id')}::uuid, ${p('team_id')}::uuid, ${p('tags')}::text[], ${p('custom_fields')}::jsonb,
        ${p('actor_id')}::uuid, CASE WHEN ${p('status')}::ticket_status = 'solved' THEN now() END
      FROM customer WHERE ${fieldsComplete}
      RETURNING *
    ), message AS (
      INSERT INTO messages (workspace_id, ticket_id, kind, author_user_id, author_customer_id, channel,
        body_text, body_html, attachments, channel_meta)
      SELECT ticket.workspace_id, ticket.id, ${p('message_kind')}::message_kind, ${p('author_user_id')}::uuid,
        CASE WHEN ${p('message_kind')}::message_kind = 'customer_message' THEN ticket.customer_id END,
        ticket.channel, ${p('body_text')}::text, ${p('body_html')}::text, ${p('attachments')}::jsonb,
        ${p('channel_meta')}::jsonb
      FROM ticket
      RETURNING id
    ), ${shape.tagged ? sql`${rememberTicketTagsCte}, ` : sql``}${logTicketEventCtes(
      'ticket.created',
      { messageId: sql`message.id` },
      { from: sql`ticket, message`, notify: shape.notify },
    )}, ${countNewTicketCte()}
    -- Reading every entry fixes the order they run in (tags, history, event, counters last), the same
    -- in every statement, so concurrent creates take their locks in one order.
    SELECT ticket.*, customer.name AS customer_name, customer.email AS customer_email,
      ${shape.tagged ? sql`(SELECT count(*) FROM tagged)` : sql`0`} AS tagged,
      (SELECT count(*) FROM logged) AS logged, (SELECT count(*) FROM event) AS events,
      (SELECT count(*) FROM counted) AS counted
    FROM ticket JOIN customer ON customer.id = ticket.customer_id`);
}

const statements = new Map<string, PreparedStatement>();

function statementFor(shape: Shape): PreparedStatement {
  const key = JSON.stringify(shape);
  let statement = statements.get(key);
  if (!statement) {
    statement = buildStatement(shape);
    statements.set(key, statement);
  }
  return statement;
}

/**
 * Writes a new ticket in one statement, which PostgreSQL runs as one transaction: customer found or
 * created, ticket (numbered inside the INSERT), first message, tags, history row, outbox event and
 * counters. One round trip instead of a dozen on the busiest write path, and a prepared statement.
 *
 * Writes nothing and resolves to undefined when the workspace requires a ticket field that
 * `customFields` lacks (checked inside the statement, so a field made required meanwhile still counts).
 * Rejects with a unique violation when another request created the same new customer first. Without
 * `notify`, the caller wakes the outbox relays after commit (wakeRelaysSoon).
 */
export async function insertNewTicket(
  db: Db,
  actor: AnyActor,
  t: NewTicket,
  options: { notify: boolean },
): Promise<TicketWithCustomer | undefined> {
  const customer = 'id' in t.customer ? { known: t.customer.id } : customerUpsertPlan(t.customer);
  const statement = statementFor({
    customer: 'known' in customer ? 'known' : customer.shape,
    tagged: t.tags.length > 0,
    notify: options.notify,
  });
  const values = ticketValues(actor, t);
  const rows = await statement.rows<Record<string, unknown>>(db, {
    ...('known' in customer ? { customer_id: customer.known } : customer.values),
    ...newTicketCounts(t),
    ...values,
    field_keys: makePgArray(values.field_keys),
    tags: makePgArray(values.tags),
    custom_fields: JSON.stringify(values.custom_fields),
    attachments: JSON.stringify(values.attachments),
    channel_meta: JSON.stringify(values.channel_meta),
    event_changes: JSON.stringify(values.event_changes),
  });
  const row = rows[0];
  return row ? ticketFromRow(row) : undefined;
}

/** The values of a new ticket's placeholders, arrays and JSON as they are (the caller encodes them). */
export function ticketValues(actor: AnyActor, t: NewTicket) {
  const m = t.message;
  return {
    workspace_id: actor.workspaceId,
    actor_id: actor.userId,
    field_keys: Object.keys(t.customFields),
    number_sequence: ticketNumberSequence(actor.workspaceId),
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    channel: t.channel,
    assignee_id: t.assigneeId,
    team_id: t.teamId,
    tags: t.tags,
    custom_fields: t.customFields,
    message_kind: m.outbound ? 'public_reply' : 'customer_message',
    author_user_id: m.outbound ? actor.userId : null,
    body_text: m.bodyText,
    body_html: m.bodyHtml,
    attachments: m.attachments,
    channel_meta: m.channelMeta,
    event_changes: { status: t.status, priority: t.priority, channel: t.channel },
  };
}

/**
 * The ticket of a row holding the tickets columns and `customer_name`, `customer_email`; no mood yet,
 * as intelligence scores a ticket after its commit.
 */
export function ticketFromRow(row: Record<string, unknown>): TicketWithCustomer {
  const ticket = Object.fromEntries(
    ticketColumns.map(([property, column]) => [property, column.mapFromDriverValue(row[column.name])]),
  ) as TicketRow;
  return {
    ...ticket,
    customer: {
      id: ticket.customerId,
      name: row.customer_name as string,
      email: (row.customer_email as string | null) ?? null,
    },
    mood: null,
  };
}
