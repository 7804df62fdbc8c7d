import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { signedInTeam, testDeps } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { messages, outbox, ticketEvents, tickets } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { createLogger } from '../platform/logger.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import type { InlineQueue } from '../platform/queue/inline-queue.ts';
import { followUpScheduler, runFollowUp, startFollowUpJobs } from './follow-up-jobs.ts';

const DAY = 86_400_000;

describeEachDatabase('follow-ups', (kind: DatabaseKind) => {
  let database: Database;
  let app: App;
  let queue: InlineQueue;
  const clock = fixedClock(new Date());
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    const deps = testDeps(database, { clock });
    queue = deps.queue as InlineQueue;
    await startFollowUpJobs(deps);
    app = await buildApp(deps);
    await app.ready();
  });
  afterAll(() => app.close());

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    headers: object,
    payload?: object,
  ) => app.inject({ method, url, headers: headers as Record<string, string>, ...(payload && { payload }) });
  const later = (days: number) => new Date(clock.now().getTime() + days * DAY).toISOString();
  const replies = (ticketId: string) =>
    database.db
      .select({ body: messages.bodyText, author: messages.authorUserId })
      .from(messages)
      .where(and(eq(messages.ticketId, ticketId), eq(messages.kind, 'public_reply')))
      .orderBy(asc(messages.createdAt));
  const history = async (ticketId: string) =>
    (
      await database.db
        .select({ type: ticketEvents.type })
        .from(ticketEvents)
        .where(eq(ticketEvents.ticketId, ticketId))
        .orderBy(asc(ticketEvents.id))
    )
      .map((row) => row.type)
      .filter((type) => type.startsWith('follow_up.'));

  it('lets an agent schedule a reminder and a customer message, cancel one, and fires each once', async () => {
    const { workspace, admin, agent, light } = await signedInTeam(database);
    const ticket = await makeTicket(database.db, admin.actor, { assigneeId: agent.id });
    const url = `/api/v1/tickets/${ticket.id}/follow-ups`;
    const past = await call('POST', url, agent.headers, { kind: 'reminder', dueAt: later(-1) });
    expect(past.statusCode).toBe(400);
    expect(past.headers['content-type']).toContain('application/problem+json');
    const noBody = await call('POST', url, agent.headers, { kind: 'message', dueAt: later(1) });
    expect(noBody.statusCode).toBe(400);
    const lightMessage = { kind: 'message', body: 'Hi', dueAt: later(1) };
    expect((await call('POST', url, light.headers, lightMessage)).statusCode).toBe(403);
    const foreign = await signedInTeam(database);
    expect((await call('POST', url, foreign.agent.headers, lightMessage)).statusCode).toBe(404);

    const reminder = await call('POST', url, agent.headers, {
      kind: 'reminder',
      body: 'Call back',
      dueAt: later(1),
    });
    expect(reminder.statusCode, reminder.body).toBe(201);
    const message = await call('POST', url, agent.headers, {
      kind: 'message',
      body: 'Hi {{customer.first_name}}, did the parcel arrive?',
      dueAt: later(2),
    });
    const dropped = await call('POST', url, agent.headers, { kind: 'reminder', dueAt: later(1) });
    const cancel = `${url}/${dropped.json().id}`;
    expect((await call('DELETE', cancel, light.headers)).statusCode).toBe(403);
    expect((await call('DELETE', cancel, agent.headers)).statusCode).toBe(204);
    expect((await call('DELETE', cancel, agent.headers)).statusCode).toBe(422);

    clock.advance(3 * DAY);
    await queue.runDue();
    const list = (await call('GET', url, light.headers)).json().data;
    expect(
      list.map((f: { kind: string; firedAt: string | null; cancelledAt: string | null }) => [
        f.kind,
        Boolean(f.firedAt),
        Boolean(f.cancelledAt),
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['reminder', true, false],
        ['reminder', false, true],
        ['message', true, false],
      ]),
    );
    const notified = await database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.workspaceId, workspace.id), eq(outbox.type, 'agent.notified')));
    expect(notified.map((event) => event.payload)).toEqual([
      expect.objectContaining({ userIds: [agent.id], body: 'Call back' }),
    ]);
    const sent = await replies(ticket.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatch(/^Hi \S+, did the parcel arrive\?$/);
    expect(sent[0]!.author).toBe(agent.id);
    // A job that runs again (at least once) finds the follow-up fired and does nothing.
    await runFollowUp(
      { db: database.db, clock, queue },
      { workspaceId: workspace.id, followUpId: message.json().id },
    );
    expect(await replies(ticket.id)).toHaveLength(1);
    expect(await history(ticket.id)).toEqual([
      'follow_up.scheduled',
      'follow_up.scheduled',
      'follow_up.scheduled',
      'follow_up.cancelled',
      'follow_up.fired',
      'follow_up.fired',
    ]);
  });

  it('reminds a pending customer, then solves the ticket, then checks in; an answer cancels them', async () => {
    const { workspace, admin } = await signedInTeam(database);
    const relay = createOutboxRelay({
      database,
      handlers: [followUpScheduler(queue)],
      logger: createLogger('silent'),
      workspaceId: workspace.id,
    });
    const settings = {
      checkInDays: 2,
      checkInBody: 'Is everything still fine, {{customer.first_name}}?',
      pendingReminderDays: 3,
      pendingReminderBody: 'We are waiting for your answer.',
      pendingSolveDays: 3,
    };
    const path = '/api/v1/admin/automation-settings';
    expect((await call('PUT', path, admin.headers, settings)).statusCode).toBe(400);
    const put = await call('PUT', path, admin.headers, { ...settings, pendingSolveDays: 7 });
    expect(put.statusCode, put.body).toBe(200);
    expect((await call('GET', path, admin.headers)).json()).toMatchObject({ pendingSolveDays: 7 });

    const pending = async () => {
      const ticket = await makeTicket(database.db, admin.actor);
      await call('PATCH', `/api/v1/tickets/${ticket.id}`, admin.headers, { status: 'pending' });
      await relay.drain();
      return ticket;
    };
    const status = async (id: string) =>
      (await database.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, id)))[0]!
        .status;
    const quiet = await pending();
    const answered = await pending();
    // The customer answers the second: it reopens, and its pending follow-ups are cancelled.
    await call('POST', `/api/v1/tickets/${answered.id}/messages`, admin.headers, {
      kind: 'customer_message',
      body: 'Here is the order number',
    });
    await relay.drain();

    clock.advance(3 * DAY + 60_000);
    await queue.runDue();
    expect((await replies(quiet.id)).map((r) => r.body)).toEqual(['We are waiting for your answer.']);
    expect(await status(quiet.id)).toBe('pending');
    clock.advance(4 * DAY);
    await queue.runDue();
    expect(await status(quiet.id)).toBe('solved');
    await relay.drain();
    clock.advance(2 * DAY + 60_000);
    await queue.runDue();
    const sent = (await replies(quiet.id)).map((r) => r.body);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatch(/^Is everything still fine, \S+\?$/);
    expect(await history(quiet.id)).toEqual(['follow_up.fired', 'follow_up.fired', 'follow_up.fired']);
    expect(await status(answered.id)).toBe('open');
    expect(await replies(answered.id)).toEqual([]);
  });
});
