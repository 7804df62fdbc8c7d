import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { testDeps } from '../../test/support/http.ts';
import { makeHelpArticles } from '../../test/support/kb-factories.ts';
import { kbBotAttempts, messages, tickets } from '../db/schema/index.ts';
import { type Actor, systemActor } from '../platform/auth/actor.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { createInlineQueue } from '../platform/queue/inline-queue.ts';
import { addMessage } from '../tickets/message-service.ts';
import { botDeflection } from './bot-deflection.ts';
import { answerBot } from './bot-handler.ts';
import { handOverOnSilence } from './bot-service.ts';
import { updateBotSettings } from './bot-settings.ts';

describeEachDatabase('answer bot', (kind: DatabaseKind) => {
  let database: Database;
  const clock = fixedClock(new Date());
  const queue = createInlineQueue(clock);
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    deps = { ...testDeps(database, { clock }), queue };
    await queue.declare(['bot.handover']);
    await queue.work('bot.handover', (job) => handOverOnSilence(database.db, job));
  });

  const relay = (workspaceId: string) =>
    createOutboxRelay({ database, handlers: [answerBot(deps)], logger: deps.logger, workspaceId }).drain();

  async function world(settings: Parameters<typeof updateBotSettings>[2] = { enabled: true }) {
    const { workspace, admin } = await makeWorkspace(database.db);
    await makeHelpArticles(database.db, admin.actor);
    await updateBotSettings(database.db, admin.actor, settings);
    const ask = async (body: string, channel: 'email' | 'web' | 'chat' = 'email') => {
      const ticket = await makeTicket(database.db, admin.actor, { message: { body }, channel });
      await relay(workspace.id);
      return ticket.id;
    };
    const say = async (ticketId: string, body: string) => {
      await addMessage(database.db, systemActor(workspace.id), ticketId, { kind: 'customer_message', body });
      await relay(workspace.id);
    };
    const state = async (ticketId: string) => {
      const [ticket] = await database.db.select().from(tickets).where(eq(tickets.id, ticketId));
      const thread = await database.db
        .select({ kind: messages.kind, body: messages.bodyText, author: messages.authorUserId })
        .from(messages)
        .where(and(eq(messages.ticketId, ticketId), eq(messages.workspaceId, workspace.id)))
        .orderBy(asc(messages.createdAt), asc(messages.id));
      const attempts = await database.db
        .select()
        .from(kbBotAttempts)
        .where(eq(kbBotAttempts.ticketId, ticketId));
      return {
        status: ticket!.status,
        firstResponseAt: ticket!.firstResponseAt,
        thread,
        attempt: attempts[0],
      };
    };
    return { workspace, admin, ask, say, state };
  }

  it('offers articles for an emailed question, and a yes solves the ticket as the bot’s', async () => {
    const w = await world();
    const ticketId = await w.ask('How do I reset my password? I forgot it.');
    let s = await w.state(ticketId);
    expect(s.status).toBe('pending');
    expect(s.attempt).toMatchObject({ offered: true, outcome: 'pending', channel: 'email' });
    expect(s.attempt!.confidence).toBeGreaterThanOrEqual(0.5);
    const offer = s.thread.find((m) => m.kind === 'public_reply')!;
    expect(offer.kind).toBe('public_reply');
    expect(offer.author).toBeNull();
    expect(offer.body).toContain('Reset your password');
    expect(offer.body).toContain(`/help/${w.workspace.slug}/articles/reset-your-password`);
    expect(offer.body).toContain('Did this answer your question?');

    await w.say(ticketId, 'Yes, thanks!');
    s = await w.state(ticketId);
    expect(s.status).toBe('solved');
    expect(s.attempt).toMatchObject({ outcome: 'accepted' });
    expect(s.attempt!.acceptedArticleId).toBe(s.attempt!.articleIds[0]);
    // Bot answers are not a person's first reply (KPIS.md).
    expect(s.firstResponseAt).toBeNull();
    const figures = await botDeflection(
      database.db,
      {
        workspaceId: w.workspace.id,
        from: new Date(Date.now() - 3_600_000),
        to: new Date(Date.now() + 60_000),
      },
      new Date(),
    );
    expect(figures).toEqual({ answered: 1, deflected: 1, rate: 1 });
  });

  it('hands over to a person with the question, the articles and the answer on "talk to a human"', async () => {
    const w = await world();
    const ticketId = await w.ask('How can I cancel my subscription?', 'web');
    await w.say(ticketId, 'talk to a human please');
    const s = await w.state(ticketId);
    expect(s.status).toBe('open');
    expect(s.attempt).toMatchObject({ outcome: 'rejected' });
    const note = s.thread.find((m) => m.kind === 'internal_note')!;
    expect(note.body).toContain('The customer asked for a person.');
    expect(note.body).toContain('Question: How can I cancel my subscription?');
    expect(note.body).toContain('Cancel your subscription');
    expect(note.body).toContain("Customer's answer: talk to a human please");
    expect(
      s.thread.some((m) => m.kind === 'public_reply' && m.body.includes('passing you to a person')),
    ).toBe(true);
    // The next "yes" belongs to the person's conversation, not the bot's.
    await w.say(ticketId, 'yes');
    expect((await w.state(ticketId)).status).toBe('open');
  });

  it('stays quiet below the threshold, and when off or not on that channel', async () => {
    const w = await world();
    const quiet = await w.ask('who won the football world cup in 1998');
    let s = await w.state(quiet);
    expect(s).toMatchObject({ status: 'new', attempt: { offered: false, outcome: 'silent' } });
    expect(s.thread).toHaveLength(1);

    const chatOnly = await world({ enabled: true, channels: ['chat'] });
    s = await chatOnly.state(await chatOnly.ask('How do I reset my password?'));
    expect(s.attempt).toBeUndefined();
    const off = await world({ enabled: false });
    s = await off.state(await off.ask('How do I reset my password?'));
    expect(s.attempt).toBeUndefined();
  });

  it('a person replying stops the bot waiting, and silence hands the ticket over in time', async () => {
    const w = await world({ enabled: true, handoverAfterMinutes: 10 });
    const agent = await makeUser(database.db, w.workspace.id, 'agent');
    const answered = await w.ask('Where can I download my invoice?');
    await addMessage(database.db, agent.actor as Actor, answered, {
      kind: 'public_reply',
      body: 'Here it is.',
    });
    await relay(w.workspace.id);
    await w.say(answered, 'yes');
    expect(await w.state(answered)).toMatchObject({ status: 'open', attempt: { outcome: 'rejected' } });

    const silent = await w.ask('How do I track my parcel?');
    expect((await w.state(silent)).status).toBe('pending');
    clock.advance(11 * 60_000);
    await queue.runDue();
    const s = await w.state(silent);
    expect(s.status).toBe('open');
    expect(s.attempt).toMatchObject({ outcome: 'pending' });
    expect(s.attempt!.resolvedAt).not.toBeNull();
    expect(s.thread.some((m) => m.body.includes('did not answer "Did this answer your question?"'))).toBe(
      true,
    );
  });
});
