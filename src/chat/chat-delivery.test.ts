import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sharedDatabase } from '../../test/support/databases.ts';
import { makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { chatMessages, outbox } from '../db/schema/index.ts';
import type { OutboxEvent } from '../platform/outbox/outbox.ts';
import { addMessage } from '../tickets/message-service.ts';
import { chatDelivery } from './chat-delivery.ts';
import { sendVisitorMessage } from './chat-service.ts';

// PGlite only: each test worker has its own, so no other process's relay handles these events first.
describe('chat delivery in batches', () => {
  it("adds an agent's reply to the conversation once, and skips what the widget already stored", async () => {
    const { db } = await sharedDatabase('pglite');
    const { workspace } = await makeWorkspace(db);
    const agent = await makeUser(db, workspace.id, 'agent');
    const visitor = {
      workspaceId: workspace.id,
      visitorId: 'v-batch',
      externalId: null,
      name: null,
      email: null,
    };
    const first = await sendVisitorMessage(db, visitor, {
      clientId: 'c1',
      text: 'Hello',
      conversationId: null,
      pageUrl: null,
    });
    const ticketId = first.message.conversationId;
    const second = await sendVisitorMessage(db, visitor, {
      clientId: 'c2',
      text: 'Anyone there?',
      conversationId: ticketId,
      pageUrl: null,
    });
    expect(second.message.seq).toBe(2);
    const reply = await addMessage(db, agent.actor, ticketId, { kind: 'public_reply', body: 'Yes!' });
    const note = await addMessage(db, agent.actor, ticketId, { kind: 'internal_note', body: 'VIP' });

    const events = (await db
      .select()
      .from(outbox)
      .where(
        and(
          eq(outbox.workspaceId, workspace.id),
          eq(outbox.type, 'message.created'),
          sql`${outbox.payload}->'ticket'->>'id' = ${ticketId}`,
        ),
      )
      .orderBy(outbox.id)) as OutboxEvent[];
    expect(events.map((e) => (e.payload.message as { id: string }).id)).toEqual([
      second.message.id,
      reply.message.id,
      note.message.id,
    ]);
    // Twice, as a relay replaying its batch would: the reply gets one place.
    for (let round = 0; round < 2; round++)
      await db.transaction((tx) => chatDelivery.handleBatch!(tx, events));
    const rows = await db
      .select({ seq: chatMessages.seq, messageId: chatMessages.messageId, sender: chatMessages.sender })
      .from(chatMessages)
      .where(eq(chatMessages.ticketId, ticketId))
      .orderBy(chatMessages.seq);
    expect(rows).toEqual([
      { seq: 1, messageId: first.message.id, sender: 'visitor' },
      { seq: 2, messageId: second.message.id, sender: 'visitor' },
      { seq: 3, messageId: reply.message.id, sender: 'agent' },
    ]);
  });
});
