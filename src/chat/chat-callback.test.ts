import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { chatWorlds, type VisitorClient } from '../../test/support/chat-client.ts';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { callbackRequests, chatMessages } from '../db/schema/index.ts';

type Json = Record<string, unknown>;

/** Sends a callback frame and resolves with its ack or error (only frames after this send count). */
async function askCallback(visitor: VisitorClient, fields: Json, clientId: string = randomUUID()) {
  const from = visitor.frames.length;
  visitor.send({ type: 'callback', clientId, ...fields });
  return visitor.waitFor(
    (f) =>
      (f.type === 'ack' || f.type === 'error') &&
      f.clientId === clientId &&
      visitor.frames.indexOf(f) >= from,
    `answer to callback ${clientId}`,
  );
}

describeEachDatabase('call backs asked for in the chat widget', (kind) => {
  const world = chatWorlds(kind);

  it('queues one call back for the chat ticket at the time on the visitor’s clock, tagged callback', async () => {
    const w = await world();
    const database = await sharedDatabase(kind);
    const visitor = await w.visitor();
    const opened = await visitor.say('Can someone phone me about my order?');
    const ticketId = opened.conversationId as string;

    const clientId = randomUUID();
    const ask = {
      phone: '+81 3 1234 5678',
      preferredTime: '2031-03-06T10:15',
      timeZone: 'Asia/Tokyo',
      conversationId: ticketId,
    };
    const ack = await askCallback(visitor, ask, clientId);
    expect(ack).toMatchObject({ type: 'ack', conversationId: ticketId, seq: 2, duplicate: false });
    const saved = await visitor.waitFor((f) => f.type === 'callback_saved', 'the confirmation');
    expect(saved).toMatchObject({
      clientId,
      phone: '+81 3 1234 5678',
      preferredAt: '2031-03-06T01:15:00.000Z',
      timeZone: 'Asia/Tokyo',
    });
    const shown = await visitor.waitForMessage((m) => m.seq === 2, 'the request in the conversation');
    expect(shown).toMatchObject({
      sender: 'visitor',
      clientId,
      text: 'Please call me back on +81 3 1234 5678 at 2031-03-06 10:15 (Asia/Tokyo).',
    });

    // A resend (lost ack, reconnect) is answered as the first was and queues nothing more.
    const again = await askCallback(visitor, ask, clientId);
    expect(again).toMatchObject({ type: 'ack', conversationId: ticketId, seq: 2, duplicate: true });

    const queued = await database.db
      .select()
      .from(callbackRequests)
      .where(eq(callbackRequests.workspaceId, w.workspace.id));
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      ticketId,
      phone: '+81 3 1234 5678',
      timeZone: 'Asia/Tokyo',
      status: 'pending',
    });
    expect(queued[0]!.preferredAt.toISOString()).toBe('2031-03-06T01:15:00.000Z');

    const ticket = await w.api('GET', `/api/v1/tickets/${ticketId}`);
    expect(ticket.body).toMatchObject({ channel: 'chat', tags: ['callback'] });
    expect(queued[0]!.customerId).toBe((ticket.body.customer as Json).id);
    const listed = await w.api('GET', '/api/v1/callbacks');
    expect((listed.body.data as Json[]).map((c) => c.ticketId)).toEqual([ticketId]);
  });

  it('opens a chat ticket for a visitor who asks for a call back first', async () => {
    const w = await world();
    const visitor = await w.visitor();
    const ack = await askCallback(visitor, {
      phone: '+1 212 555 0100',
      preferredTime: '2031-01-02T09:00',
      timeZone: 'America/New_York',
    });
    expect(ack).toMatchObject({ type: 'ack', seq: 1, duplicate: false });
    const ticket = await w.api('GET', `/api/v1/tickets/${ack.conversationId as string}`);
    expect(ticket.body).toMatchObject({ channel: 'chat', tags: ['callback'] });
    const [queued] = (await w.api('GET', '/api/v1/callbacks')).body.data as Json[];
    expect(queued).toMatchObject({ ticketId: ack.conversationId, preferredAt: '2031-01-02T14:00:00.000Z' });
  });

  it('refuses a bad number, a past time or an unknown zone, writing nothing', async () => {
    const w = await world();
    const database = await sharedDatabase(kind);
    const visitor = await w.visitor();
    const opened = await visitor.say('Hello');
    const ticketId = opened.conversationId as string;
    const good = { phone: '+44 20 7946 0958', preferredTime: '2031-03-04T16:30', timeZone: 'Europe/London' };
    const cases: [Json, RegExp][] = [
      [{ phone: 'call me maybe' }, /phone number/],
      [{ preferredTime: '2020-01-01T09:00' }, /passed/],
      [{ timeZone: 'Mars/Olympus_Mons' }, /time zone/],
      [{ preferredTime: 'tomorrow at 9' }, /date and time/],
    ];
    for (const [change, message] of cases) {
      const answer = await askCallback(visitor, { ...good, ...change, conversationId: ticketId });
      expect(answer).toMatchObject({ type: 'error', code: 'validation_failed' });
      expect(String(answer.message)).toMatch(message);
    }
    // A frame that is not one at all is refused as any other bad frame is.
    visitor.send({ type: 'callback', clientId: 'x', phone: '+44 20 7946 0958' });
    const bad = await visitor.waitFor(
      (f) => f.type === 'error' && String(f.message).startsWith('Not a valid frame'),
      'the bad frame refused',
    );
    expect(bad.code).toBe('validation_failed');

    expect(
      await database.db
        .select()
        .from(callbackRequests)
        .where(eq(callbackRequests.workspaceId, w.workspace.id)),
    ).toEqual([]);
    expect(
      await database.db
        .select({ seq: chatMessages.seq })
        .from(chatMessages)
        .where(and(eq(chatMessages.workspaceId, w.workspace.id), eq(chatMessages.ticketId, ticketId))),
    ).toEqual([{ seq: 1 }]);
    expect((await w.api('GET', `/api/v1/tickets/${ticketId}`)).body.tags).toEqual([]);
  });
});
