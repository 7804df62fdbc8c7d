import { and, eq, inArray, sql } from 'drizzle-orm';
import { inboundEmails, outboundEmails } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { countInbound, type InboundTally } from './inbound-counters.ts';
import type { ParsedInbound } from './inbound-parse.ts';
import type { IntakeInput, IntakeResult } from './inbound-types.ts';
import { rawSource } from './raw-source.ts';

/**
 * Keeps a delivery report and flags the outbound message it reports on as bounced (with the server's
 * diagnostic), so the ticket's timeline shows the reply never arrived. A report about nothing we sent is
 * kept too, unattached. Never opens a ticket: answering a mailer daemon starts a loop.
 */
export async function recordBounce(
  tx: Db,
  id: string,
  input: IntakeInput,
  workspaceId: string,
  mail: ParsedInbound,
  sender: string | null,
  tally: InboundTally,
): Promise<IntakeResult> {
  const bounce = mail.bounce!;
  const [original] = bounce.originalMessageIds.length
    ? await tx
        .update(outboundEmails)
        .set({ status: 'bounced', bouncedAt: sql`now()`, lastError: bounce.diagnostic })
        .where(
          and(
            eq(outboundEmails.workspaceId, workspaceId),
            inArray(outboundEmails.messageIdHeader, bounce.originalMessageIds),
          ),
        )
        .returning()
    : [];
  await tx.insert(inboundEmails).values({
    id,
    workspaceId,
    status: 'bounce',
    source: input.source,
    messageIdHeader: mail.messageId,
    fromAddress: sender,
    recipients: input.recipients ?? mail.headerRecipients,
    subject: mail.subject.slice(0, 1000),
    size: input.raw.length,
    raw: rawSource(input.raw),
    reason: bounce.diagnostic,
    ticketId: original?.ticketId ?? null,
    outboundEmailId: original?.id ?? null,
  });
  if (original) {
    await recordEvent(tx, {
      workspaceId,
      type: 'email.delivery_updated',
      payload: {
        ticketId: original.ticketId,
        messageId: original.messageId,
        outboundEmailId: original.id,
        status: 'bounced',
        error: bounce.diagnostic,
      },
    });
  }
  await countInbound(tx, workspaceId, tally, 'stored');
  return { status: 'bounce', workspaceId, outboundEmailId: original?.id ?? null };
}
