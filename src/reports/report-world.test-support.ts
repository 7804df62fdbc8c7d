import { inArray, sql } from 'drizzle-orm';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { messages, surveyResponses, ticketEvents, ticketSlas, tickets } from '../db/schema/index.ts';
import { automationActor, systemActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { addMessage } from '../tickets/message-service.ts';
import { mergeTickets } from '../tickets/ticket-merge.ts';
import { updateTicket } from '../tickets/ticket-service.ts';

/** Mon 3 March 2025 00:00 UTC + the given days and hours. */
export const march = (day: number, hour: number, minute = 0) =>
  new Date(Date.UTC(2025, 2, day, hour, minute));
// Rows written by the services carry today's time; everything newer than this is moved to its story time.
const cutoff = new Date(Date.UTC(2025, 11, 31));

/** Moves the rows just written for these tickets to `at`, as if it had happened then. */
async function settle(db: Db, ids: string[], at: Date) {
  const when = sql`${at.toISOString()}::timestamptz`;
  const moved = (column: string) =>
    sql`${sql.raw(column)} = CASE WHEN ${sql.raw(column)} > ${cutoff.toISOString()}::timestamptz THEN ${when} ELSE ${sql.raw(column)} END`;
  await db.execute(
    sql`UPDATE tickets SET ${sql.join(
      ['created_at', 'updated_at', 'last_activity_at', 'first_response_at', 'solved_at', 'closed_at'].map(
        moved,
      ),
      sql`, `,
    )} WHERE id IN (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
  await db
    .update(messages)
    .set({ createdAt: at })
    .where(sql`${inArray(messages.ticketId, ids)} AND created_at > ${cutoff.toISOString()}::timestamptz`);
  await db
    .update(ticketEvents)
    .set({ createdAt: at })
    .where(sql`${inArray(ticketEvents.ticketId, ids)} AND created_at > ${cutoff.toISOString()}::timestamptz`);
}

/**
 * The hand-built week of the report tests (Mon 3 – Mon 10 March 2025, business hours Mon–Fri 09–17 UTC).
 * A: email, 1 reply, solved; B: chat, reopened and solved again; C: open with a bot reply and a note;
 * D: outbound; E: merged into A; F: spam; G: created the week before, solved in this one.
 */
export async function reportWorld(db: Db) {
  const { workspace, admin } = await makeWorkspace(db);
  const agent1 = await makeUser(db, workspace.id, 'agent');
  const agent2 = await makeUser(db, workspace.id, 'agent');
  const customer = systemActor(workspace.id);
  const reply = (actor: typeof agent1.actor, id: string) =>
    addMessage(db, actor, id, { kind: 'public_reply', body: 'On it.' });
  const solve = (actor: typeof agent1.actor, id: string) => updateTicket(db, actor, id, { status: 'solved' });
  const open = async (at: Date, overrides: Parameters<typeof makeTicket>[2]) => {
    const ticket = await makeTicket(db, admin.actor, overrides);
    await settle(db, [ticket.id], at);
    return ticket.id;
  };
  const step = async (ids: string[], at: Date, action: () => Promise<unknown>) => {
    await action();
    await settle(db, ids, at);
  };

  const g = await open(new Date(Date.UTC(2025, 1, 28, 9)), { assigneeId: agent2.id });
  await step([g], new Date(Date.UTC(2025, 1, 28, 10)), () => reply(agent2.actor, g));
  await step([g], march(4, 9), () => solve(agent2.actor, g));

  const a = await open(march(3, 9), { assigneeId: agent1.id, tags: ['billing'] });
  const e = await open(march(3, 9, 30), {});
  await step([a, e], march(3, 9, 45), () => mergeTickets(db, admin.actor, { sourceId: e, targetId: a }));
  await step([a], march(3, 10), () => reply(agent1.actor, a));
  await step([a], march(3, 11), () => solve(agent1.actor, a));

  const c = await open(march(4, 9), { assigneeId: agent1.id });
  await step([c], march(4, 9, 5), () =>
    addMessage(db, automationActor(workspace.id), c, { kind: 'public_reply', body: 'We got your message.' }),
  );
  await step([c], march(4, 9, 10), () =>
    addMessage(db, agent1.actor, c, { kind: 'internal_note', body: 'Checking.' }),
  );
  await step([c], march(4, 12), () => reply(agent1.actor, c));

  const d = await open(march(5, 10), {
    assigneeId: agent1.id,
    message: { kind: 'public_reply', body: 'Your renewal is due.' },
  });
  // The outbound ticket was opened by agent1 (the factory's actor is the admin: fix the author).
  await db
    .update(messages)
    .set({ authorUserId: agent1.id })
    .where(inArray(messages.ticketId, [d]));
  await step([d], march(5, 11), () =>
    addMessage(db, customer, d, { kind: 'customer_message', body: 'Thanks!' }),
  );
  await step([d], march(5, 12), () => reply(agent1.actor, d));
  await step([d], march(5, 13), () => solve(agent1.actor, d));

  const b = await open(march(6, 16, 30), { channel: 'chat', assigneeId: agent2.id, tags: ['shipping'] });
  await step([b], march(7, 9, 30), () => reply(agent2.actor, b));
  await step([b], march(7, 10), () => solve(agent2.actor, b));
  await step([b], march(7, 12), () =>
    addMessage(db, customer, b, { kind: 'customer_message', body: 'Still broken' }),
  );
  await step([b], march(7, 13), () => reply(agent2.actor, b));
  await step([b], march(7, 14), () => solve(agent2.actor, b));

  const f = await open(march(5, 9), { tags: ['spam'] });
  await step([f], march(5, 9, 1), () => solve(admin.actor, f));

  const ws = workspace.id;
  await db.insert(ticketSlas).values([
    {
      workspaceId: ws,
      ticketId: a,
      metric: 'first_reply',
      targetMinutes: 60,
      startedAt: march(3, 9),
      completedAt: march(3, 10),
    },
    {
      workspaceId: ws,
      ticketId: b,
      metric: 'first_reply',
      targetMinutes: 60,
      startedAt: march(6, 16, 30),
      breachedAt: march(7, 9, 0),
      completedAt: march(7, 9, 30),
    },
    {
      workspaceId: ws,
      ticketId: c,
      metric: 'resolution',
      targetMinutes: 480,
      startedAt: march(4, 9),
      breachedAt: march(5, 9),
    },
    {
      workspaceId: ws,
      ticketId: d,
      metric: 'resolution',
      targetMinutes: 480,
      startedAt: march(5, 10),
      completedAt: march(5, 13),
    },
  ]);
  const answer = (
    kind: 'csat' | 'nps' | 'ces',
    score: number,
    at: Date,
    ticketId?: string,
    agentId?: string,
  ) => ({
    workspaceId: ws,
    kind,
    score,
    source: 'test',
    ticketId: ticketId ?? null,
    agentId: agentId ?? null,
    answeredAt: at,
  });
  await db
    .insert(surveyResponses)
    .values([
      answer('csat', 2, march(3, 12), a, agent1.id),
      answer('csat', 5, march(3, 13), a, agent1.id),
      answer('csat', 3, march(7, 15), b, agent2.id),
      answer('csat', 4, march(5, 14), d, agent1.id),
      ...[10, 9, 7, 3, 0, 10].map((score) => answer('nps', score, march(6, 12))),
      ...[5, 7, 3].map((score) => answer('ces', score, march(6, 12))),
    ]);
  return { workspace, admin, agent1, agent2, ids: { a, b, c, d, e, f, g } };
}

export const ticketCount = async (db: Db, ids: string[]) =>
  (await db.select({ id: tickets.id }).from(tickets).where(inArray(tickets.id, ids))).length;
