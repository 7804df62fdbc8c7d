import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser } from '../../test/support/factories.ts';
import { type OutboundWorld, outboundWorld } from '../../test/support/outbound-email.ts';
import { type SmtpSink, startSmtpSink } from '../../test/support/smtp-sink.ts';
import { outboundEmails, outbox, users } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Database } from '../platform/db/database.ts';
import { addMessage } from '../tickets/message-service.ts';
import { updateTicket } from '../tickets/ticket-service.ts';
import { setNotificationPrefs } from './outbound-service.ts';

describeEachDatabase('agent email notifications', (kind) => {
  let database: Database;
  let sink: SmtpSink;
  const publicUrl = 'https://help.shop.example';

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  const notificationsOf = (world: OutboundWorld) =>
    world.db
      .select()
      .from(outboundEmails)
      .where(
        and(eq(outboundEmails.workspaceId, world.workspace.id), eq(outboundEmails.kind, 'notification')),
      );

  async function team() {
    const world = await outboundWorld(database, { env: { RAPPORT_PUBLIC_URL: publicUrl } });
    await world.relayThrough(sink);
    const keen = await makeUser(world.db, world.workspace.id, 'agent');
    const quiet = await makeUser(world.db, world.workspace.id, 'agent');
    await setNotificationPrefs(world.db, keen.actor, { ticketAssigned: true, customerReplied: true });
    await setNotificationPrefs(world.db, quiet.actor, { ticketAssigned: false, customerReplied: false });
    return { world, keen, quiet };
  }

  const assign = (world: OutboundWorld, by: Actor, ticketId: string, assigneeId: string) =>
    updateTicket(world.db, by, ticketId, { assigneeId });

  it('emails an agent who opted in when someone else assigns them a ticket, with its link', async () => {
    const { world, keen, quiet } = await team();
    const ticket = await makeTicket(world.db, world.admin.actor, { subject: 'Broken hinge' });
    await assign(world, world.admin.actor, ticket.id, keen.id);
    await assign(world, world.admin.actor, ticket.id, quiet.id);
    // Taking a ticket yourself is no news to you.
    await assign(world, keen.actor, ticket.id, keen.id);
    await world.flush();

    const rows = await notificationsOf(world);
    expect(rows.map((row) => row.toAddresses)).toEqual([[keen.email]]);
    expect(rows[0]).toMatchObject({ status: 'sent', ticketId: ticket.id, messageId: null });
    const received = sink.messages.filter((m) => m.to.includes(keen.email));
    expect(received).toHaveLength(1);
    const mail = await received[0]!.parsed();
    expect(mail.subject).toBe(`[#${ticket.number}] Assigned to you: Broken hinge`);
    expect(mail.text).toContain(`${world.admin.name} assigned ticket #${ticket.number}`);
    expect(mail.text).toContain(`${publicUrl}/tickets/${ticket.id}`);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.from!.value).toEqual([{ address: world.address, name: 'Shop Help' }]);
    expect(mail.replyTo).toBeUndefined();
  });

  it("emails the assignee who opted in when the customer writes, and no one for an agent's own messages", async () => {
    const { world, keen, quiet } = await team();
    const mine = await makeTicket(world.db, world.admin.actor, { assigneeId: keen.id });
    const theirs = await makeTicket(world.db, world.admin.actor, { assigneeId: quiet.id });
    for (const ticket of [mine, theirs])
      await addMessage(world.db, systemActor(world.workspace.id), ticket.id, {
        kind: 'customer_message',
        body: 'Still broken, please help.',
      });
    await addMessage(world.db, keen.actor, mine.id, { kind: 'internal_note', body: 'Looking' });
    await world.flush();

    const rows = await notificationsOf(world);
    expect(rows.map((row) => [row.toAddresses[0], row.ticketId])).toEqual([[keen.email, mine.id]]);
    expect(rows[0]!.bodyText).toContain('> Still broken, please help.');
    expect(rows[0]!.subject).toBe(`[#${mine.number}] New message from Casey Customer: ${mine.subject}`);
  });

  it('queues nothing twice for a replayed event and nothing for a disabled user', async () => {
    const { world, keen } = await team();
    const ticket = await makeTicket(world.db, world.admin.actor);
    await assign(world, world.admin.actor, ticket.id, keen.id);
    await world.relay.drain();
    await world.db
      .update(outbox)
      .set({ processedAt: null })
      .where(eq(outbox.workspaceId, world.workspace.id));
    await world.relay.drain();
    const rows = await notificationsOf(world);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.dedupeKey).toMatch(new RegExp(`^notify:\\d+:${keen.id}$`));

    await world.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, keen.id));
    await addMessage(world.db, systemActor(world.workspace.id), ticket.id, {
      kind: 'customer_message',
      body: 'Hello?',
    });
    await world.relay.drain();
    expect(await notificationsOf(world)).toHaveLength(1);
  });
});
