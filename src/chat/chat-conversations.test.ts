import { expect, it } from 'vitest';
import { chatWorlds } from '../../test/support/chat-client.ts';
import { describeEachDatabase } from '../../test/support/databases.ts';

type Json = Record<string, unknown>;

describeEachDatabase('chat conversations over time', (kind) => {
  const world = chatWorlds(kind);

  it('lets a returning visitor continue the open conversation or start a new one', async () => {
    const w = await world();
    const first = await w.visitor();
    const opened = await first.say('My order is late');
    const ticketId = opened.conversationId as string;
    first.close();

    // Back later with the same token: the open conversation is offered, and continuing it adds to it.
    const back = await w.visitor({ token: first.token });
    expect(back.ready.visitorId).toBe(first.ready.visitorId);
    expect((back.ready.conversations as Json[]).map((c) => [c.id, c.status])).toEqual([[ticketId, 'new']]);
    const more = await back.say('It was due Monday', { conversationId: ticketId });
    expect(more).toMatchObject({ conversationId: ticketId, seq: 2 });
    // Agents hear of it as of any ticket message, with the ticket as it now is.
    const created = await w.stream.waitFor(
      (f) => f.type === 'message.created' && (f.data?.message as Json)?.excerpt === 'It was due Monday',
      'the continued message on the agent stream',
    );
    expect(created.data).toMatchObject({
      ticket: { id: ticketId, status: 'new', channel: 'chat' },
      message: { kind: 'customer_message', channel: 'chat', authorUserId: null },
    });
    const timeline = await w.api('GET', `/api/v1/tickets/${ticketId}/messages`);
    expect((timeline.body.data as Json[]).at(-1)).toMatchObject({
      kind: 'customer_message',
      body: 'It was due Monday',
      author: { type: 'customer' },
    });

    // Choosing "new conversation" opens a second ticket for the same customer.
    const fresh = await back.say('Also, do you ship to Norway?', { conversationId: null });
    expect(fresh.conversationId).not.toBe(ticketId);
    expect(fresh.seq).toBe(1);
    const [a, b] = await Promise.all(
      [ticketId, fresh.conversationId as string].map(
        async (id) => (await w.api('GET', `/api/v1/tickets/${id}`)).body,
      ),
    );
    expect(b!.customerId).toBe(a!.customerId);
    expect((await w.api('GET', `/api/v1/tickets/${ticketId}/messages`)).body.data).toHaveLength(2);

    const again = await w.visitor({ token: first.token });
    expect((again.ready.conversations as Json[]).map((c) => c.id)).toEqual([fresh.conversationId, ticketId]);
  });

  it('keeps the ticket when the agent solves and closes the chat, and tells the visitor it ended', async () => {
    const w = await world();
    const visitor = await w.visitor();
    const ack = await visitor.say('Thanks, that is all');
    const ticketId = ack.conversationId as string;
    await visitor.waitFor((f) => f.type === 'synced', 'watching the conversation');

    expect((await w.api('PATCH', `/api/v1/tickets/${ticketId}`, { status: 'solved' })).status).toBe(200);
    const solved = await visitor.waitFor((f) => f.type === 'status', 'the end of the chat');
    expect(solved).toMatchObject({ conversationId: ticketId, status: 'solved', ended: true });
    expect((await w.api('PATCH', `/api/v1/tickets/${ticketId}`, { status: 'closed' })).status).toBe(200);
    await visitor.waitFor((f) => f.type === 'status' && f.status === 'closed', 'the chat closed');

    const ticket = await w.api('GET', `/api/v1/tickets/${ticketId}`);
    expect(ticket.body).toMatchObject({ status: 'closed', channel: 'chat' });
    expect((await w.api('GET', `/api/v1/tickets/${ticketId}/messages`)).body.data).toHaveLength(1);

    // Writing into the closed chat opens a new conversation rather than losing the message.
    const after = await visitor.say('One more thing', { conversationId: ticketId });
    expect(after.type).toBe('ack');
    expect(after.conversationId).not.toBe(ticketId);
    const back = await w.visitor({ token: visitor.token });
    expect((back.ready.conversations as Json[]).find((c) => c.id === ticketId)?.status).toBe('closed');
  });

  it("fills a canned response for the chat's visitor and sends it into the widget", async () => {
    const w = await world();
    const visitor = await w.visitor();
    const ack = await visitor.say('Where is my parcel?');
    const ticketId = ack.conversationId as string;
    const created = await w.api('POST', '/api/v1/canned-responses', {
      title: 'Tracking',
      body: 'Hi! Ticket #{{ticket.number}}: {{agent.first_name}} is checking the tracking now.',
    });
    expect(created.status).toBe(201);
    const rendered = await w.api('POST', `/api/v1/canned-responses/${created.body.id}/render`, { ticketId });
    expect(rendered.status).toBe(200);
    const ticket = (await w.api('GET', `/api/v1/tickets/${ticketId}`)).body;
    const firstName = w.agent.name.split(' ')[0];
    expect(rendered.body.body).toBe(
      `Hi! Ticket #${ticket.number}: ${firstName} is checking the tracking now.`,
    );

    expect((await w.reply(ticketId, rendered.body.body as string)).status).toBe(201);
    const answer = await visitor.waitForMessage((m) => m.sender === 'agent', 'the canned answer');
    expect(answer.text).toBe(rendered.body.body);
  });
});
