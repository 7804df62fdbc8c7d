import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { outbox, ticketEvents } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import { addMessage } from './message-service.ts';
import { readViewCounts, rebuildViewCounts } from './ticket-counts.ts';
import { getTicket, listTickets } from './ticket-queries.ts';
import { createTicket, updateTicket } from './ticket-service.ts';

describeEachDatabase('ticket service', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = (await sharedDatabase(kind)).db;
  });

  it('creates a ticket with its customer, first message, history row and outbox event in one go', async () => {
    const { admin } = await makeWorkspace(db);
    const ticket = await makeTicket(db, admin.actor, {
      customer: { email: 'Ana.Lopez@Example.test' },
      tags: ['Refund', 'refund'],
    });
    expect(ticket.number).toBe(1);
    expect(ticket.status).toBe('new');
    expect(ticket.tags).toEqual(['refund']);
    const full = await getTicket(db, admin.actor, ticket.id);
    expect(full.customer).toMatchObject({ name: 'Ana Lopez', email: 'ana.lopez@example.test' });
    const history = await db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(history.map((e) => e.type)).toEqual(['ticket.created']);
    const events = await db.select().from(outbox).where(eq(outbox.workspaceId, admin.actor.workspaceId));
    expect(events.map((e) => e.type)).toContain('ticket.created');
  });

  it('numbers tickets per workspace and finds the same customer by any identity', async () => {
    const { admin } = await makeWorkspace(db);
    const other = await makeWorkspace(db);
    const first = await makeTicket(db, admin.actor, { customer: { email: 'sam@example.test' } });
    const second = await makeTicket(db, admin.actor, {
      customer: { email: 'SAM@example.test', phone: '+1 (555) 010-2000' },
    });
    const third = await makeTicket(db, admin.actor, { customer: { phone: '+15550102000' } });
    const elsewhere = await makeTicket(db, other.admin.actor, { customer: { email: 'sam@example.test' } });
    expect([first.number, second.number, third.number, elsewhere.number]).toEqual([1, 2, 3, 1]);
    expect(new Set([first.customerId, second.customerId, third.customerId]).size).toBe(1);
    expect(elsewhere.customerId).not.toBe(first.customerId);
  });

  it('creates one customer when two tickets for a new address arrive at once', async () => {
    const { admin } = await makeWorkspace(db);
    const created = await Promise.all(
      Array.from({ length: 6 }, () =>
        makeTicket(db, admin.actor, { customer: { email: 'race@example.test' } }),
      ),
    );
    expect(new Set(created.map((t) => t.customerId)).size).toBe(1);
  });

  it('rejects bad input before writing anything', async () => {
    const { admin } = await makeWorkspace(db);
    const stranger = await makeWorkspace(db);
    const attempt = makeTicket(db, admin.actor, { assigneeId: stranger.admin.id });
    await expect(attempt).rejects.toMatchObject({ code: 'validation_failed' });
    const page = await listTickets(db, admin.actor, { sort: 'created', order: 'desc', limit: 10 });
    expect(page.data).toHaveLength(0);
    await expect(
      createTicket(db, admin.actor, { subject: 'x', customer: {}, message: { body: 'hi' } }),
    ).rejects.toBeInstanceOf(DomainError);
    expect((await readViewCounts(db, admin.actor.workspaceId, ['unsolved'])).unsolved).toBe(0);
  });

  it('keeps view counters equal to the real counts through every kind of change', async () => {
    const { workspace, admin } = await makeWorkspace(db);
    const agent = await makeUser(db, workspace.id, 'agent');
    const tickets = await Promise.all(Array.from({ length: 8 }, () => makeTicket(db, admin.actor)));
    await updateTicket(db, admin.actor, tickets[0]!.id, { assigneeId: agent.id });
    await updateTicket(db, admin.actor, tickets[1]!.id, { assigneeId: agent.id, status: 'pending' });
    await updateTicket(db, admin.actor, tickets[2]!.id, { status: 'solved' });
    await updateTicket(db, admin.actor, tickets[2]!.id, { status: 'closed' });
    await addMessage(db, agent.actor, tickets[3]!.id, {
      kind: 'public_reply',
      body: 'On it',
      status: 'solved',
    });
    await addMessage(db, { ...admin.actor, role: 'agent' }, tickets[3]!.id, {
      kind: 'customer_message',
      body: 'Still broken',
    });
    const counts = await readViewCounts(db, workspace.id);
    const all = (await listTickets(db, admin.actor, { sort: 'created', order: 'desc', limit: 100 })).data;
    const unsolved = all.filter((t) => ['new', 'open', 'pending', 'on_hold'].includes(t.status));
    expect(counts.unsolved).toBe(unsolved.length);
    expect(counts.unassigned).toBe(unsolved.filter((t) => !t.assigneeId).length);
    expect(counts[`assignee:${agent.id}`]).toBe(2);
    expect(counts['status:closed']).toBe(1);
    expect(counts['status:open']).toBe(all.filter((t) => t.status === 'open').length);
  });

  it('tracks replies: first response time, reopening on a customer reply, and refusing closed tickets', async () => {
    const { workspace, admin } = await makeWorkspace(db);
    const agent = await makeUser(db, workspace.id, 'agent');
    const ticket = await makeTicket(db, admin.actor);
    await addMessage(db, agent.actor, ticket.id, { kind: 'internal_note', body: 'Checking the warehouse' });
    expect((await getTicket(db, admin.actor, ticket.id)).firstResponseAt).toBeNull();
    const reply = await addMessage(db, agent.actor, ticket.id, {
      kind: 'public_reply',
      body: 'Sorry! A new one ships today.',
      status: 'solved',
    });
    expect(reply.ticket.status).toBe('solved');
    expect(reply.ticket.firstResponseAt).not.toBeNull();
    const again = await addMessage(
      db,
      { userId: null, workspaceId: workspace.id, role: 'system' },
      ticket.id,
      {
        kind: 'customer_message',
        body: 'It has not arrived',
      },
    );
    expect(again.ticket.status).toBe('open');
    await updateTicket(db, agent.actor, ticket.id, { status: 'solved' });
    await updateTicket(db, agent.actor, ticket.id, { status: 'closed' });
    await expect(
      addMessage(db, agent.actor, ticket.id, { kind: 'public_reply', body: 'x' }),
    ).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('lets light agents write internal notes only', async () => {
    const { workspace, admin } = await makeWorkspace(db);
    const light = await makeUser(db, workspace.id, 'light');
    const ticket = await makeTicket(db, admin.actor);
    await addMessage(db, light.actor, ticket.id, { kind: 'internal_note', body: 'FYI: VIP' });
    await expect(
      addMessage(db, light.actor, ticket.id, { kind: 'public_reply', body: 'hi' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('asks the author to review when someone else wrote since they looked', async () => {
    const { workspace, admin } = await makeWorkspace(db);
    const agent = await makeUser(db, workspace.id, 'agent');
    const ticket = await makeTicket(db, admin.actor);
    const seen = await addMessage(db, agent.actor, ticket.id, { kind: 'internal_note', body: 'looking' });
    await addMessage(db, admin.actor, ticket.id, { kind: 'public_reply', body: 'Answered already' });
    await expect(
      addMessage(db, agent.actor, ticket.id, {
        kind: 'public_reply',
        body: 'My answer',
        lastSeenMessageId: seen.message.id,
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses status moves that make no sense', async () => {
    const { admin } = await makeWorkspace(db);
    const ticket = await makeTicket(db, admin.actor);
    await expect(updateTicket(db, admin.actor, ticket.id, { status: 'closed' })).rejects.toMatchObject({
      code: 'invalid_state',
    });
    await updateTicket(db, admin.actor, ticket.id, { status: 'open' });
    await expect(updateTicket(db, admin.actor, ticket.id, { status: 'new' })).rejects.toMatchObject({
      code: 'invalid_state',
    });
  });
});

describeEachDatabase('view counter rebuild', (kind) => {
  it('recomputes the same counters that the services keep', async () => {
    const { db } = await sharedDatabase(kind);
    const { workspace, admin } = await makeWorkspace(db);
    const agent = await makeUser(db, workspace.id, 'agent');
    const tickets = await Promise.all(Array.from({ length: 5 }, () => makeTicket(db, admin.actor)));
    await updateTicket(db, admin.actor, tickets[0]!.id, { assigneeId: agent.id, status: 'pending' });
    await updateTicket(db, admin.actor, tickets[1]!.id, { status: 'solved' });
    const kept = await readViewCounts(db, workspace.id);
    await db.transaction((tx) => rebuildViewCounts(tx, workspace.id));
    const rebuilt = await readViewCounts(db, workspace.id);
    const nonZero = (counts: Record<string, number>) =>
      Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
    expect(nonZero(rebuilt)).toEqual(nonZero(kept));
    expect(rebuilt.unsolved).toBe(4);
  });
});
