import { sql } from 'drizzle-orm';
import { makePgArray } from 'drizzle-orm/pg-core';
import { chatVisitors } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import { publishRealtime } from '../platform/realtime/hub.ts';

export type VisitorPage = { url: string | null; title: string | null };

type PresenceChange = {
  workspaceId: string;
  visitorId: string;
  customerId: string | null;
  /** The conversations the agent panels showing them should update. */
  ticketIds: string[];
  page: VisitorPage;
};

const clip = (value: string | null, max: number) => (value ? value.slice(0, max) : null);

// The agent clicks this link: only web addresses, never javascript: or data: ones.
const pageUrlOf = (value: string | null) =>
  value && /^https?:\/\//i.test(value) ? value.slice(0, 2000) : null;

/** Counts a socket in (delta 1) or out (delta -1) and tells the agents; shared by every node. */
export async function visitorConnection(db: Db, change: PresenceChange, delta: 1 | -1) {
  const url = pageUrlOf(change.page.url);
  const title = clip(change.page.title, 300);
  const [row] = await db
    .insert(chatVisitors)
    .values({
      workspaceId: change.workspaceId,
      visitorId: change.visitorId,
      customerId: change.customerId,
      connections: Math.max(delta, 0),
      pageUrl: url,
      pageTitle: title,
    })
    .onConflictDoUpdate({
      target: [chatVisitors.workspaceId, chatVisitors.visitorId],
      set: {
        connections: sql`GREATEST(${chatVisitors.connections} + ${delta}, 0)`,
        seenAt: sql`now()`,
        customerId: sql`coalesce(${chatVisitors.customerId}, excluded.customer_id)`,
        ...(delta > 0 && { pageUrl: url, pageTitle: title }),
      },
    })
    .returning({ connections: chatVisitors.connections });
  await announce(db, change, (row?.connections ?? 0) > 0);
}

/** The page the visitor moved to. */
export async function visitorPage(db: Db, change: PresenceChange) {
  await db
    .update(chatVisitors)
    .set({
      pageUrl: pageUrlOf(change.page.url),
      pageTitle: clip(change.page.title, 300),
      seenAt: sql`now()`,
    })
    .where(
      sql`${chatVisitors.workspaceId} = ${change.workspaceId} AND ${chatVisitors.visitorId} = ${change.visitorId}`,
    );
  await announce(db, change, true);
}

async function announce(db: Db, change: PresenceChange, online: boolean) {
  for (const ticketId of change.ticketIds) {
    await publishRealtime(db, {
      workspaceId: change.workspaceId,
      type: 'chat.visitor',
      data: {
        ticketId,
        visitorId: change.visitorId,
        online,
        pageUrl: pageUrlOf(change.page.url),
        pageTitle: change.page.title,
      },
    });
  }
}

/** Marks this node's connected visitors as still there, in one statement (see ONLINE_FRESH_SECONDS). */
export async function touchVisitors(db: Db, visitors: { workspaceId: string; visitorId: string }[]) {
  if (visitors.length === 0) return;
  await db.execute(sql`UPDATE chat_visitors v SET seen_at = now()
    FROM unnest(${makePgArray(visitors.map((v) => v.workspaceId))}::uuid[], ${makePgArray(visitors.map((v) => v.visitorId))}::text[]) AS t (workspace_id, visitor_id)
    WHERE v.workspace_id = t.workspace_id AND v.visitor_id = t.visitor_id`);
}
