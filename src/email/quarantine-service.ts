import { and, desc, eq } from 'drizzle-orm';
import { inboundEmails } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import { intakeEmail } from './inbound-intake.ts';
import type { IntakeDeps, IntakeResult } from './inbound-types.ts';
import { rawSourceField } from './raw-source.ts';

const held = (actor: Actor, id: string) =>
  and(
    eq(inboundEmails.id, id),
    eq(inboundEmails.workspaceId, actor.workspaceId),
    eq(inboundEmails.status, 'quarantined'),
  );

/** The newest held messages first, without their raw source. */
export async function listQuarantine(db: Db, actor: Actor, limit = 200) {
  return db
    .select({
      id: inboundEmails.id,
      source: inboundEmails.source,
      fromAddress: inboundEmails.fromAddress,
      recipients: inboundEmails.recipients,
      subject: inboundEmails.subject,
      size: inboundEmails.size,
      reason: inboundEmails.reason,
      createdAt: inboundEmails.createdAt,
    })
    .from(inboundEmails)
    .where(and(eq(inboundEmails.workspaceId, actor.workspaceId), eq(inboundEmails.status, 'quarantined')))
    .orderBy(desc(inboundEmails.createdAt), desc(inboundEmails.id))
    .limit(limit);
}

export async function quarantinedRaw(db: Db, actor: Actor, id: string): Promise<Buffer> {
  const [row] = await db.select({ raw: rawSourceField }).from(inboundEmails).where(held(actor, id));
  if (!row) throw notFound('Quarantined message');
  return row.raw;
}

/**
 * Takes a held message in again, past the sender's hourly limit. It leaves the quarantine once it is
 * stored (or found to be stored already); one refused again is held anew, as the result says.
 */
export async function releaseQuarantined(deps: IntakeDeps, actor: Actor, id: string): Promise<IntakeResult> {
  const [row] = await deps.db
    .select({ raw: rawSourceField, source: inboundEmails.source, recipients: inboundEmails.recipients })
    .from(inboundEmails)
    .where(held(actor, id));
  if (!row) throw notFound('Quarantined message');
  const result = await intakeEmail(deps, {
    raw: row.raw,
    source: row.source,
    recipients: row.recipients,
    workspaceId: actor.workspaceId,
    skipSenderLimit: true,
  });
  // Either way the old row goes: a message refused again was held anew, under a row of its own.
  await deps.db.delete(inboundEmails).where(held(actor, id));
  return result;
}

export async function deleteQuarantined(db: Db, actor: Actor, id: string) {
  const deleted = await db.delete(inboundEmails).where(held(actor, id)).returning({ id: inboundEmails.id });
  if (!deleted.length) throw notFound('Quarantined message');
}
