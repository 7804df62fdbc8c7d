import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { testDeps } from '../../test/support/http.ts';
import { feedbackSettings, outboundEmails, surveyInvitations } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { createInlineQueue } from '../platform/queue/inline-queue.ts';
import { updateTicket } from '../tickets/ticket-service.ts';
import { csatScheduler, runCsatJob } from './csat-jobs.ts';
import { putFeedbackSettings } from './feedback-settings.ts';

describeEachDatabase('CSAT survey job', (kind: DatabaseKind) => {
  let database: Database;
  const clock = fixedClock(new Date());
  const queue = createInlineQueue(clock);
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    deps = { ...testDeps(database, { clock }), queue };
    await queue.declare(['feedback.csat']);
    await queue.work('feedback.csat', (job) => runCsatJob(deps, job));
  });

  const relayOf = (workspaceId: string) =>
    createOutboxRelay({
      database,
      handlers: [csatScheduler(queue)],
      logger: deps.logger,
      workspaceId,
    }).drain();

  it('emails one-click links once the channel’s delay after a solve, and never twice', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const agent = await makeUser(database.db, workspace.id, 'agent');
    await database.db
      .insert(feedbackSettings)
      .values({ workspaceId: workspace.id, csatDelayMinutes: { email: 30 } });
    const ticket = await makeTicket(database.db, admin.actor, { assigneeId: agent.id });
    const relay = () => relayOf(workspace.id);
    await updateTicket(database.db, agent.actor, ticket.id, { status: 'solved' });
    await relay();
    clock.set(new Date(Date.now() + 20 * 60_000));
    await queue.runDue();
    const mails = () =>
      database.db.select().from(outboundEmails).where(eq(outboundEmails.ticketId, ticket.id));
    expect(await mails()).toEqual([]);
    clock.set(new Date(Date.now() + 31 * 60_000));
    await queue.runDue();
    const [mail] = await mails();
    expect(mail?.subject).toContain(`#${ticket.number}`);
    expect(mail?.bodyText).toMatch(/5 ★★★★★: http\S+\/feedback\/survey\?t=/);
    // Reopened and solved again: the same ticket is not surveyed twice.
    await updateTicket(database.db, agent.actor, ticket.id, { status: 'open' });
    await updateTicket(database.db, agent.actor, ticket.id, { status: 'solved' });
    await relay();
    clock.set(new Date(Date.now() + 120 * 60_000));
    await queue.runDue();
    expect(await mails()).toHaveLength(1);
    const invitations = await database.db
      .select()
      .from(surveyInvitations)
      .where(eq(surveyInvitations.ticketId, ticket.id));
    expect(invitations).toEqual([
      expect.objectContaining({ agentId: agent.id, customerId: ticket.customerId }),
    ]);
    expect(queue.failed()).toEqual([]);
  });

  it('waits the default hour on a channel without a delay, and sends nothing once switched off', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    await putFeedbackSettings(deps, admin.actor, { csatDelayMinutes: { email: 5 } });
    const chat = await makeTicket(database.db, admin.actor, { channel: 'chat' });
    const email = await makeTicket(database.db, admin.actor);
    const relay = () => relayOf(workspace.id);
    const solvedAt = Date.now();
    for (const ticket of [chat, email])
      await updateTicket(database.db, admin.actor, ticket.id, { status: 'solved' });
    await relay();
    const mails = (ticketId: string) =>
      database.db.select().from(outboundEmails).where(eq(outboundEmails.ticketId, ticketId));
    clock.set(new Date(solvedAt + 10 * 60_000));
    await queue.runDue();
    expect(await mails(email.id)).toHaveLength(1);
    expect(await mails(chat.id)).toEqual([]);
    await putFeedbackSettings(deps, admin.actor, { csatEnabled: false });
    clock.set(new Date(solvedAt + 61 * 60_000));
    await queue.runDue();
    expect(await mails(chat.id)).toEqual([]);
    expect(queue.pending().filter((job) => JSON.stringify(job.payload).includes(chat.id))).toEqual([]);
    expect(queue.failed()).toEqual([]);
  });
});
