import { expect, it } from 'vitest';
import { chatWorlds } from '../../test/support/chat-client.ts';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { makeHelpArticles } from '../../test/support/kb-factories.ts';
import { ANSWER_NO, ANSWER_YES } from './bot-replies.ts';

type Json = Record<string, unknown>;

describeEachDatabase('answer bot in the chat widget', (kind) => {
  const world = chatWorlds(kind);

  async function botWorld(settings: Json) {
    const w = await world();
    await makeHelpArticles(w.live.deps.db, w.agent.actor);
    const on = await w.api('PATCH', '/api/v1/answer-bot/settings', settings, w.adminHeaders);
    expect(on.status).toBe(200);
    return { w, settings: on.body };
  }

  it('answers over the socket, and a click on yes solves the chat as the bot’s', async () => {
    const { w, settings } = await botWorld({ enabled: true, channels: ['chat'] });
    expect(settings).toMatchObject({ enabled: true, channels: ['chat'], threshold: 0.5 });
    const visitor = await w.visitor();
    const ack = await visitor.say('How do I reset my password?');
    const ticketId = ack.conversationId as string;
    const offer = await visitor.waitForMessage((m) => m.sender === 'agent', "the bot's offer");
    expect(offer.text).toContain('Reset your password');
    expect(offer.text).toContain('Did this answer your question?');
    expect((offer as unknown as Json).bot).toMatchObject({ kind: 'offer' });

    await visitor.say(ANSWER_YES, { conversationId: ticketId });
    await visitor.waitFor((f) => f.type === 'status' && f.ended === true, 'the chat ends as solved');
    const ticket = await w.api('GET', `/api/v1/tickets/${ticketId}`);
    expect(ticket.body).toMatchObject({ status: 'solved', firstResponseAt: null });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const deflection = await w.api('GET', `/api/v1/answer-bot/deflection?from=${from}&to=${to}`);
    expect(deflection.body).toEqual({ answered: 1, deflected: 1, rate: 1 });
  });

  it('hands the chat to a person on no, with the bot’s attempt in an internal note', async () => {
    const { w } = await botWorld({ enabled: true });
    const visitor = await w.visitor();
    const ack = await visitor.say('Where can I download my invoice?');
    const ticketId = ack.conversationId as string;
    await visitor.waitForMessage((m) => m.sender === 'agent', "the bot's offer");
    await visitor.say(ANSWER_NO, { conversationId: ticketId });
    await visitor.waitForMessage((m) => m.text.includes('passing you to a person'), 'the hand-over');
    const thread = await w.api('GET', `/api/v1/tickets/${ticketId}/messages`);
    const note = (thread.body.data as Json[]).find((m) => m.kind === 'internal_note');
    expect(note?.body).toContain('Question: Where can I download my invoice?');
    expect((await w.api('GET', `/api/v1/tickets/${ticketId}`)).body).toMatchObject({ status: 'open' });
  });
});
