import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { chatWorlds } from '../../test/support/chat-client.ts';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openStream } from '../../test/support/stream-client.ts';

type Json = Record<string, unknown>;

describeEachDatabase('live chat socket', (kind) => {
  const world = chatWorlds(kind);

  it('carries a conversation both ways, with typing, read receipts and the page the visitor is on', async () => {
    const w = await world();
    const visitor = await w.visitor({ page: { url: 'https://shop.example/checkout', title: 'Checkout' } });
    expect(visitor.ready.conversations).toEqual([]);

    const ack = await visitor.say('Hi, is the blue kettle in stock?');
    expect(ack).toMatchObject({ type: 'ack', seq: 1, duplicate: false });
    const ticketId = ack.conversationId as string;
    const ticket = await w.api('GET', `/api/v1/tickets/${ticketId}`);
    expect(ticket.body).toMatchObject({ channel: 'chat', subject: 'Hi, is the blue kettle in stock?' });
    await w.stream.waitFor(
      (f) => f.type === 'ticket.created' && (f.data?.ticket as Json | undefined)?.id === ticketId,
      "the visitor's new chat on the agent's stream",
    );

    const state = await w.api('GET', `/api/v1/chat/conversations/${ticketId}`);
    expect(state.body).toMatchObject({ online: true, pageUrl: 'https://shop.example/checkout', lastSeq: 1 });

    // Agent typing (the console's presence frame) reaches the visitor; visitor typing reaches the agent.
    w.stream.send({ type: 'presence', ticketId, state: 'typing' });
    await visitor.waitFor(
      (f) => f.type === 'typing' && f.by === 'agent' && f.typing === true,
      'agent typing',
    );
    visitor.send({ type: 'typing', conversationId: ticketId, typing: true });
    await w.stream.waitFor(
      (f) => f.type === 'chat.typing' && f.data?.ticketId === ticketId && f.data?.by === 'visitor',
      'visitor typing on the agent stream',
    );

    expect((await w.reply(ticketId, 'Yes, we have three left.')).status).toBe(201);
    const answer = await visitor.waitForMessage((m) => m.sender === 'agent', "the agent's reply");
    expect(answer).toMatchObject({ seq: 2, text: 'Yes, we have three left.', conversationId: ticketId });

    visitor.send({ type: 'read', conversationId: ticketId, seq: 2 });
    await w.stream.waitFor(
      (f) => f.type === 'chat.read' && f.data?.by === 'visitor' && f.data?.seq === 2,
      'read receipt from the visitor',
    );
    expect((await w.api('POST', `/api/v1/chat/conversations/${ticketId}/read`, {})).body).toEqual({
      agentReadSeq: 2,
    });
    await visitor.waitFor(
      (f) => f.type === 'read' && f.by === 'agent' && f.seq === 2,
      'read receipt from the agent',
    );

    visitor.send({ type: 'page', url: 'https://shop.example/thanks', title: 'Thanks' });
    await w.stream.waitFor(
      (f) => f.type === 'chat.visitor' && f.data?.pageUrl === 'https://shop.example/thanks',
      'page change on the agent stream',
    );

    // History over HTTP for the next page load, with the visitor's token.
    const history = await w.api(
      'GET',
      `/api/v1/chat/history?workspace=${w.workspace.slug}&conversation=${ticketId}`,
      undefined,
      { 'x-rapport-visitor': visitor.token },
    );
    expect((history.body.messages as Json[]).map((m) => [m.seq, m.sender])).toEqual([
      [1, 'visitor'],
      [2, 'agent'],
    ]);

    visitor.close();
    await visitor.closed;
    await w.stream.waitFor(
      (f) => f.type === 'chat.visitor' && f.data?.online === false,
      'the visitor going offline on the agent stream',
    );
  });

  it('loses and doubles nothing when the socket dies mid-conversation and the widget resumes', async () => {
    const w = await world();
    const first = await w.visitor();
    const ticketId = (await first.say('one')).conversationId as string;
    await first.say('two', { conversationId: ticketId });
    // Sent, then the connection dies before the ack can arrive: the widget cannot know if it landed.
    const inFlight = randomUUID();
    first.send({ type: 'message', clientId: inFlight, text: 'three', conversationId: ticketId });
    first.close();
    await first.closed;

    // The agent answers while the visitor is away.
    await w.reply(ticketId, 'answer A');
    await w.reply(ticketId, 'answer B');

    const again = await w.visitor({ token: first.token, resume: [{ conversationId: ticketId, lastSeq: 2 }] });
    expect(again.ready.visitorId).toBe(first.ready.visitorId);
    await again.waitForMessage((m) => m.text === 'answer B', 'the missed answer B');
    // The widget retries what it never saw acknowledged, with the same client id.
    const retried = await again.say('three', { conversationId: ticketId, clientId: inFlight });
    expect(retried.type).toBe('ack');
    await again.say('four', { conversationId: ticketId });

    const history = await w.api(
      'GET',
      `/api/v1/chat/history?workspace=${w.workspace.slug}&conversation=${ticketId}`,
      undefined,
      { 'x-rapport-visitor': again.token },
    );
    const stored = history.body.messages as { seq: number; text: string }[];
    expect(stored.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stored.filter((m) => m.text === 'three')).toHaveLength(1);
    expect(new Set(stored.map((m) => m.text))).toEqual(
      new Set(['one', 'two', 'three', 'answer A', 'answer B', 'four']),
    );
    // What the resumed socket received: everything after seq 2, each once, in order.
    const received = again.messages().map((m) => m.seq);
    expect(received).toEqual([...new Set(received)].sort((a, b) => a - b));
    expect(received).toEqual([3, 4, 5, 6]);
    const ticketMessages = await w.api('GET', `/api/v1/tickets/${ticketId}/messages`);
    expect(ticketMessages.body.data as Json[]).toHaveLength(6);
  });

  it('stores a message sent twice with the same client id once', async () => {
    const w = await world();
    const visitor = await w.visitor();
    const clientId = randomUUID();
    const once = await visitor.say('only once', { clientId });
    const twice = await visitor.say('only once', { clientId, conversationId: once.conversationId as string });
    expect(twice).toMatchObject({ seq: once.seq, conversationId: once.conversationId, duplicate: true });
    const messages = await w.api('GET', `/api/v1/tickets/${once.conversationId}/messages`);
    expect(messages.body.data as Json[]).toHaveLength(1);
  });

  it('enforces message size, message rate and connections per address with clear close codes', async () => {
    // A slow refill, so a machine that stores each message slowly still sees the burst run out.
    const w = await world({
      RAPPORT_CHAT_MAX_MESSAGE_CHARS: '100',
      RAPPORT_CHAT_CONNECTIONS_PER_IP: '3',
      RAPPORT_CHAT_MESSAGES_PER_SECOND: '0.05',
    });
    const visitor = await w.visitor();
    expect(await visitor.say('x'.repeat(101))).toMatchObject({ type: 'error', code: 'payload_too_large' });
    // A frame far beyond any allowed message is cut off as too big.
    visitor.send({ type: 'message', clientId: 'big', text: 'y'.repeat(10_000) });
    expect((await visitor.closed).code).toBe(1009);

    const flooder = await w.visitor();
    // 25 frames stay under the per-socket frame limit (40 at once): the per-visitor message limit acts.
    for (let i = 0; i < 25; i++) flooder.send({ type: 'message', clientId: `m${i}`, text: `spam ${i}` });
    expect(await flooder.closed).toEqual({ code: 4429, reason: 'Too many messages' });
    expect(flooder.frames.some((f) => f.type === 'error' && f.code === 'rate_limited')).toBe(true);
    expect(flooder.frames.filter((f) => f.type === 'ack').length).toBeLessThan(25);
  });

  it('closes connections beyond the limit per client address with 4430', async () => {
    const w = await world({ RAPPORT_CHAT_CONNECTIONS_PER_IP: '3' });
    const open = [await w.visitor(), await w.visitor(), await w.visitor()];
    const wsUrl = `${w.live.url.replace('http', 'ws')}/api/v1/chat/ws?workspace=${w.workspace.slug}`;
    const fourth = new WebSocket(wsUrl);
    const refused = await new Promise<number>((resolve) => fourth.on('close', (code) => resolve(code)));
    expect(refused).toBe(4430);
    // The three still work.
    expect(await open[2]!.say('still here')).toMatchObject({ type: 'ack', seq: 1 });
  });

  it('refuses a first frame that is not identify, and an unknown workspace', async () => {
    const w = await world();
    const base = `${w.live.url.replace('http', 'ws')}/api/v1/chat/ws?workspace=`;
    const rude = await openStream(`${base}${w.workspace.slug}`);
    rude.send({ type: 'message', clientId: 'a', text: 'no hello' });
    expect((await rude.closed).code).toBe(4400);
    const lost = await openStream(`${base}no-such-workspace-${randomUUID()}`);
    lost.send({ type: 'identify' });
    expect((await lost.closed).code).toBe(4404);
  });
});
