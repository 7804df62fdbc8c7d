import { expect, it } from 'vitest';
import { chatWorlds } from '../../test/support/chat-client.ts';
import { describeEachDatabase } from '../../test/support/databases.ts';

describeEachDatabase('CSAT inside the chat widget', (kind) => {
  const world = chatWorlds(kind);

  it('takes the score and a comment once the agent ended the chat, once per ticket', async () => {
    const w = await world();
    const visitor = await w.visitor();
    const ack = await visitor.say('My order arrived broken');
    const ticketId = ack.conversationId as string;
    const csat = (score: number, comment?: string) => {
      visitor.send({ type: 'csat', conversationId: ticketId, score, comment });
      return visitor.waitFor((f) => f.type === 'csat_saved', 'csat answer');
    };
    expect(await csat(4)).toMatchObject({ status: 'not_ended' });
    visitor.frames.length = 0;
    expect((await w.reply(ticketId, 'A new one is on its way.')).status).toBe(201);
    const solved = await w.api('PATCH', `/api/v1/tickets/${ticketId}`, { status: 'solved' });
    expect(solved.status).toBe(200);
    visitor.frames.length = 0;
    expect(await csat(2)).toMatchObject({ status: 'recorded', conversationId: ticketId });
    visitor.frames.length = 0;
    expect(await csat(2, 'Took three days to get an answer')).toMatchObject({ status: 'commented' });
    visitor.frames.length = 0;
    expect(await csat(5)).toMatchObject({ status: 'already_answered' });

    const answers = await w.api('GET', `/api/v1/survey-responses?ticket_id=${ticketId}`);
    expect(answers.body.data).toEqual([
      expect.objectContaining({
        kind: 'csat',
        score: 2,
        source: 'chat',
        comment: 'Took three days to get an answer',
      }),
    ]);
    // Another visitor cannot rate this conversation.
    const stranger = await w.visitor();
    stranger.send({ type: 'csat', conversationId: ticketId, score: 1 });
    await stranger.waitFor((f) => f.type === 'error' && f.code === 'not_found', 'not their conversation');
  });
});
