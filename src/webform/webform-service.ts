import { eq } from 'drizzle-orm';
import { planCallback, queueCallback } from '../channels/callback-service.ts';
import { customerIdFor, postToTicket } from '../channels/channel-intake.ts';
import { tickets } from '../db/schema/index.ts';
import {
  type FieldDefinition,
  missingRequiredFields,
  validateCustomFields,
} from '../fields/field-service.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { invalid } from '../platform/errors.ts';
import { spendStamp } from './proof-of-work.ts';

export type ContactSubmission = {
  workspaceId: string;
  name: string;
  email: string;
  subject: string;
  message: string;
  customFields: Record<string, unknown>;
  uploadIds: string[];
  /** A checked proof-of-work stamp, spent in the same transaction as the ticket. */
  stamp?: { stampHash: string; expiresAt: Date } | undefined;
  embedded: boolean;
  /** A call back asked for on the form: the number and a time on the visitor's clock. */
  callback?: { phone: string; preferredTime: string; timeZone?: string | undefined } | undefined;
};

/**
 * Checks a form's custom field values before any file is stored: unknown keys and wrong types are
 * refused, and required fields must be there. Throws validation_failed naming each field.
 */
export async function checkContactFields(
  db: Db,
  workspaceId: string,
  fields: FieldDefinition[],
  values: Record<string, unknown>,
) {
  await validateCustomFields(db, workspaceId, 'ticket', values);
  const missing = await missingRequiredFields(db, workspaceId, 'ticket', values);
  if (missing.length) {
    const labels = new Map(fields.map((field) => [field.key, field.label]));
    throw invalid(
      'Some required fields are empty',
      missing.map((key) => ({
        path: `customFields.${key}`,
        message: `${labels.get(key) ?? key} is required`,
      })),
    );
  }
}

/**
 * Opens a web ticket from the contact form through the channels' intake: the customer found by email
 * (or created), the message with its files and the form's custom fields, and the proof-of-work stamp
 * spent, all in one transaction. A requested call back tags the ticket "callback" and queues it to
 * agents, the time read in the visitor's time zone. Resolves once committed, so the visitor is told
 * only what is kept. Throws conflict when the stamp was spent already (a replayed submission).
 */
export async function submitContactForm(db: Db, input: ContactSubmission, now: Date) {
  return db.transaction(async (tx) => {
    if (input.stamp && !(await spendStamp(tx, { workspaceId: input.workspaceId, ...input.stamp }, now)))
      throw invalid('This form was sent already; reload the page to write again', [
        { path: 'pow', message: 'already used' },
      ]);
    const actor = systemActor(input.workspaceId);
    const customerId = await customerIdFor(tx, input.workspaceId, { email: input.email, name: input.name });
    const callback = input.callback
      ? await planCallback(tx, customerId, { ...input.callback, notes: input.subject })
      : undefined;
    const posted = await postToTicket(
      tx,
      actor,
      {
        customerId,
        subject: input.subject,
        customFields: input.customFields,
        ...(callback && { tags: ['callback'] }),
      },
      {
        kind: 'customer_message',
        channel: 'web',
        body: callback ? `${input.message}\n\n${callback.request}` : input.message,
        uploadIds: input.uploadIds,
        channelMeta: { webForm: { embedded: input.embedded }, ...callback?.channelMeta },
      },
    );
    if (callback) await queueCallback(tx, actor, callback, { customerId, ticketId: posted.ticketId });
    const [ticket] = await tx
      .select({ number: tickets.number })
      .from(tickets)
      .where(eq(tickets.id, posted.ticketId));
    return { ticketId: posted.ticketId, number: ticket!.number };
  });
}
