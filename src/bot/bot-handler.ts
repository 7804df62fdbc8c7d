import { and, eq } from 'drizzle-orm';
import { messages } from '../db/schema/index.ts';
import type { InboundEmailMeta } from '../email/inbound-types.ts';
import { type Config, publicUrl } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import type { OutboxEvent } from '../platform/outbox/outbox.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import type { Queue } from '../platform/queue/queue.ts';
import {
  answerQuestion,
  attemptedBefore,
  handleCustomerReply,
  handOverOnSilence,
  pendingAttempt,
  stopWaiting,
} from './bot-service.ts';
import { type BotChannel, botSettingsOf } from './bot-settings.ts';

declare module '../platform/queue/queue.ts' {
  interface JobTypes {
    /** Hands a ticket to a person when the customer never answered the bot's offer. */
    'bot.handover': { workspaceId: string; attemptId: string };
  }
}

type Payload = {
  ticket?: { id?: string; channel?: string; status?: string };
  message?: { id?: string; kind?: string; authorUserId?: string | null };
  messageId?: string;
};

/**
 * A customer's message as the bot reads it. An email's quoted history is cut off at the intake's
 * offset: a reply quotes the bot's own offer, whose "talk to a human" would otherwise read as a request.
 */
async function customerMessage(tx: Db, workspaceId: string, messageId: string) {
  const [row] = await tx
    .select({ kind: messages.kind, body: messages.bodyText, meta: messages.channelMeta })
    .from(messages)
    .where(and(eq(messages.id, messageId), eq(messages.workspaceId, workspaceId)));
  if (row?.kind !== 'customer_message') return undefined;
  const quoteStart = (row.meta.email as Pick<InboundEmailMeta, 'quoteStart'> | undefined)?.quoteStart;
  const fresh =
    typeof quoteStart === 'number' && quoteStart > 0 ? row.body.slice(0, quoteStart).trim() : row.body;
  return { body: fresh || row.body };
}

/**
 * The answer bot on the outbox: a new ticket's first customer message gets its turn (chat, email,
 * web form or API, as the workspace chose), a customer's reply to an offer settles it, and a person's
 * public reply stops the bot waiting. Database work only, in the relay's transaction.
 */
export function answerBot(deps: { config: Config; queue: Queue }): OutboxHandler {
  const origin = publicUrl(deps.config);
  async function handle(tx: Db, event: OutboxEvent) {
    const { ticket, message, messageId } = event.payload as Payload;
    if (!ticket?.id || !ticket.channel) return;
    if (event.type === 'ticket.created') {
      if (!messageId) return;
      const settings = await botSettingsOf(tx, event.workspaceId);
      if (!settings.enabled || !settings.channels.includes(ticket.channel as BotChannel)) return;
      const first = await customerMessage(tx, event.workspaceId, messageId);
      if (!first?.body.trim() || (await attemptedBefore(tx, event.workspaceId, ticket.id))) return;
      const attempt = await answerQuestion(tx, settings, {
        workspaceId: event.workspaceId,
        ticketId: ticket.id,
        channel: ticket.channel,
        question: first.body,
        origin,
      });
      if (attempt.offered) {
        await deps.queue.send(
          'bot.handover',
          { workspaceId: event.workspaceId, attemptId: attempt.id },
          {
            tx,
            startAfter: new Date(event.createdAt.getTime() + settings.handoverAfterMinutes * 60_000),
            singletonKey: `bot:${attempt.id}`,
          },
        );
      }
      return;
    }
    // Only a customer's message or a person's reply can settle an offer; notes and bot replies cannot.
    if (!message?.id || message.kind === 'internal_note') return;
    if (message.kind === 'public_reply' && !message.authorUserId) return;
    const attempt = await pendingAttempt(tx, event.workspaceId, ticket.id);
    if (!attempt) return;
    if (message.kind === 'public_reply' && message.authorUserId) return stopWaiting(tx, attempt);
    if (message.kind !== 'customer_message') return;
    const reply = await customerMessage(tx, event.workspaceId, message.id);
    if (reply) await handleCustomerReply(tx, attempt, reply.body);
  }
  return {
    name: 'answer-bot',
    handles: (type) => type === 'ticket.created' || type === 'message.created',
    handle,
  };
}

/** Worker-role registration of the silence hand-over job. */
export async function startBotJobs(deps: Deps): Promise<void> {
  await deps.queue.declare(['bot.handover']);
  await deps.queue.work('bot.handover', (job) => handOverOnSilence(deps.db, job));
}
