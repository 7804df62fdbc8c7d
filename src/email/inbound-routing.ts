import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { emailAddresses, emailMessageIds, tickets, workspaces } from '../db/schema/index.ts';
import { type Db, queryRows } from '../platform/db/database.ts';

/** Where a message goes: the workspace, the team new tickets get, and the support address it hit. */
export type Destination = {
  workspaceId: string;
  teamId: string | null;
  recipient: string | null;
  /** The `+tag` of a plus-address (`support+1234@…`), which names a ticket number. */
  plusTag: string | null;
};

/** "Support+1234@Example.com" → address "support@example.com", tag "1234". */
export function splitPlusAddress(value: string): { address: string; tag: string | null } {
  const address = value.trim().toLowerCase();
  const match = address.match(/^([^@+]+)\+([^@]*)@(.+)$/);
  return match ? { address: `${match[1]}@${match[3]}`, tag: match[2] || null } : { address, tag: null };
}

async function defaultWorkspaceId(db: Db): Promise<string | undefined> {
  const [first] = await db
    .select({ id: workspaces.id })
    .from(workspaces)
    .orderBy(asc(workspaces.createdAt), asc(workspaces.id))
    .limit(1);
  return first?.id;
}

/** True when the install has any support address: then unknown recipients are refused at RCPT. */
export async function hasSupportAddresses(db: Db): Promise<boolean> {
  const rows = await db.select({ id: emailAddresses.id }).from(emailAddresses).limit(1);
  return rows.length > 0;
}

/** The support address rows among `recipients` (plus-addresses match their base address). */
export async function matchSupportAddresses(db: Db, recipients: string[]) {
  const split = recipients.map(splitPlusAddress);
  const wanted = [...new Set(split.map((r) => r.address))];
  if (wanted.length === 0) return [];
  const rows = await db.select().from(emailAddresses).where(inArray(emailAddresses.address, wanted));
  return rows.map((row) => ({ ...row, tag: split.find((r) => r.address === row.address)?.tag ?? null }));
}

/**
 * Decides the destination from the recipients: the first support address that matches (within the
 * known workspace, when one is given), else the known workspace, else the install's first workspace.
 * Resolves to undefined only on an install without any workspace.
 */
export async function resolveDestination(
  db: Db,
  recipients: string[],
  known: { workspaceId?: string | undefined; teamId?: string | null | undefined },
): Promise<Destination | undefined> {
  const matches = (await matchSupportAddresses(db, recipients)).filter(
    (row) => !known.workspaceId || row.workspaceId === known.workspaceId,
  );
  const match = matches[0];
  const plusTag = recipients.map(splitPlusAddress).find((r) => r.tag)?.tag ?? null;
  if (match)
    return {
      workspaceId: match.workspaceId,
      teamId: known.teamId ?? match.teamId,
      recipient: match.address,
      plusTag: match.tag ?? plusTag,
    };
  const workspaceId = known.workspaceId ?? (await defaultWorkspaceId(db));
  return workspaceId ? { workspaceId, teamId: known.teamId ?? null, recipient: null, plusTag } : undefined;
}

/** The ticket a Message-ID we have seen or sent belongs to, following merges. */
export async function ticketOfMessageIds(db: Db, workspaceId: string, ids: string[]): Promise<string | null> {
  if (ids.length === 0) return null;
  const rows = await db
    .select({ ticketId: emailMessageIds.ticketId })
    .from(emailMessageIds)
    .where(and(eq(emailMessageIds.workspaceId, workspaceId), inArray(emailMessageIds.messageIdHeader, ids)))
    .orderBy(sql`${emailMessageIds.createdAt} DESC`)
    .limit(1);
  return rows[0]?.ticketId ?? null;
}

/**
 * The ticket a `[#1234]` subject token or plus-address names, but only for a sender who is that
 * ticket's customer or was copied on it: numbers are guessable, so a stranger's mail opens its own ticket.
 */
export async function ticketOfNumber(
  db: Db,
  workspaceId: string,
  number: number,
  sender: string,
): Promise<string | null> {
  if (!Number.isSafeInteger(number) || number < 1 || number > 2_147_483_647) return null;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT t.id FROM ${tickets} t
      WHERE t.workspace_id = ${workspaceId} AND t.number = ${number}
        AND (EXISTS (SELECT 1 FROM customer_identities ci
               WHERE ci.customer_id = t.customer_id AND ci.kind = 'email' AND ci.value = ${sender})
          OR EXISTS (SELECT 1 FROM messages m
               WHERE m.ticket_id = t.id AND m.channel_meta -> 'email' -> 'cc' ? ${sender}))`,
  );
  return rows[0]?.id ?? null;
}

/** The ticket a merged ticket now lives in, and whether it still takes messages. */
export async function liveTicket(db: Db, workspaceId: string, ticketId: string) {
  let id = ticketId;
  for (let hop = 0; hop < 10; hop++) {
    const [row] = await db
      .select({ id: tickets.id, status: tickets.status, mergedIntoId: tickets.mergedIntoId })
      .from(tickets)
      .where(and(eq(tickets.id, id), eq(tickets.workspaceId, workspaceId)));
    if (!row) return null;
    if (!row.mergedIntoId) return row;
    id = row.mergedIntoId;
  }
  return null;
}

const SUBJECT_TOKEN = /\[#(\d{1,10})\]/;

export const subjectTicketNumber = (subject: string): number | null => {
  const match = subject.match(SUBJECT_TOKEN);
  return match ? Number(match[1]) : null;
};
