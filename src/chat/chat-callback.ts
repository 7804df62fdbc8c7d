import { eq } from 'drizzle-orm';
import { planCallback, queueCallback } from '../channels/callback-service.ts';
import { chatConversations } from '../db/schema/index.ts';
import { automationActor, systemActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { invalid, notFound } from '../platform/errors.ts';
import { updateTicket } from '../tickets/ticket-service.ts';
import { type SentMessage, sendVisitorMessage, type VisitorContext } from './chat-service.ts';

export type ChatCallbackInput = {
  clientId: string;
  phone: string;
  /** Wall-clock time as the visitor's date and time inputs give it: 2026-12-08T14:30. */
  preferredTime: string;
  /** The visitor's browser zone (IANA name), in which preferredTime is read. */
  timeZone: string;
  conversationId: string | null;
  pageUrl: string | null;
};

export type ChatCallback = SentMessage & { phone: string; preferredAt: string; timeZone: string };

/**
 * A visitor asks for a call back from the widget: the request goes into the chat as the visitor's
 * message (opening a chat ticket when none is open), the callback service queues it for that ticket,
 * and the ticket gets the "callback" tag, all in one transaction. Idempotent by the client id, as chat
 * messages are. Throws validation_failed, writing nothing, for a bad number, an unknown zone or a
 * time already past.
 */
export async function requestCallbackInChat(
  db: Db,
  visitor: VisitorContext,
  input: ChatCallbackInput,
  now: Date,
): Promise<ChatCallback> {
  // Checked before the message is written; no customer yet, so nothing is stored here.
  const asked = await planCallback(db, null, input);
  if (asked.preferredAt.getTime() <= now.getTime())
    throw invalid('That time has passed', [{ path: 'preferredTime', message: 'choose a time ahead' }]);
  const sent = await sendVisitorMessage(
    db,
    visitor,
    {
      clientId: input.clientId,
      text: asked.request,
      conversationId: input.conversationId,
      pageUrl: input.pageUrl,
    },
    async (tx, message) => {
      const ticketId = message.message.conversationId;
      const [conversation] = await tx
        .select({ customerId: chatConversations.customerId })
        .from(chatConversations)
        .where(eq(chatConversations.ticketId, ticketId));
      if (!conversation) throw notFound('Conversation');
      const plan = await planCallback(tx, conversation.customerId, input);
      await queueCallback(tx, systemActor(visitor.workspaceId), plan, {
        customerId: conversation.customerId,
        ticketId,
      });
      // The tag is what routing and SLA policies for call backs match, as for the API and web form.
      await updateTicket(tx, automationActor(visitor.workspaceId), ticketId, { addTags: ['callback'] });
    },
  );
  return {
    ...sent,
    phone: asked.phone,
    preferredAt: asked.preferredAt.toISOString(),
    timeZone: asked.timeZone,
  };
}
