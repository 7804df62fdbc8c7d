import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { callLogs } from '../db/schema/index.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { invalid } from '../platform/errors.ts';
import type { OpenAccount } from './account-service.ts';
import { type CallLog, type CallOutcome, postCall, refreshCallMessage } from './call-service.ts';
import { customerIdFor } from './channel-intake.ts';

/**
 * Twilio's documented request signature: base64 HMAC-SHA1, keyed with the account's auth token, of
 * the full URL Twilio requested followed by every POST parameter name and value, sorted by name.
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const pairs = [...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = url + pairs.map(([key, value]) => key + value).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: URLSearchParams,
  header: string | undefined,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const FINAL: Record<string, CallOutcome> = {
  completed: 'answered',
  busy: 'busy',
  'no-answer': 'no_answer',
  failed: 'failed',
  canceled: 'canceled',
};

export type TwilioResult = { callId: string; status: 'started' | 'ended' | 'recording' | 'unchanged' };

/**
 * Turns one Voice status or recording callback into the call's log: the first callback of a CallSid
 * opens it (customer found by number, or created), the final status puts it on the customer's
 * timeline once, and a recording callback adds the recording. Twilio retries, so every step is
 * idempotent; callbacks of one call are serialised by an advisory lock.
 */
export async function intakeTwilioVoice(
  db: Db,
  account: OpenAccount,
  params: URLSearchParams,
): Promise<TwilioResult> {
  const callSid = params.get('CallSid');
  if (!callSid) throw invalid('A Twilio voice callback carries a CallSid');
  const workspaceId = account.workspaceId;
  const outbound = (params.get('Direction') ?? 'inbound').startsWith('outbound');
  const number = (outbound ? params.get('To') : params.get('From'))?.trim() || 'unknown';
  const status = params.get('CallStatus') ?? '';
  const recordingUrl = params.get('RecordingUrl');
  const duration = Number(params.get('CallDuration') ?? params.get('RecordingDuration') ?? 0);

  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${workspaceId}), hashtext(${callSid}))`);
    const [known] = await tx
      .select()
      .from(callLogs)
      .where(and(eq(callLogs.workspaceId, workspaceId), eq(callLogs.providerCallId, callSid)));
    let call: CallLog | undefined = known;
    let result: TwilioResult['status'] = 'unchanged';
    if (!call) {
      const customerId = await customerIdFor(tx, workspaceId, {
        phone: number === 'unknown' ? undefined : number,
        externalId: number === 'unknown' ? `twilio:${callSid}` : undefined,
        name: params.get(outbound ? 'ToCallerName' : 'CallerName') ?? undefined,
      });
      [call] = await tx
        .insert(callLogs)
        .values({
          workspaceId,
          customerId,
          accountId: account.id,
          direction: outbound ? 'outbound' : 'inbound',
          number,
          outcome: 'in_progress',
          providerCallId: callSid,
        })
        .returning();
      result = 'started';
    }
    if (recordingUrl && call!.recordingUrl !== recordingUrl) {
      // Twilio's RecordingUrl serves the audio once an extension is added; .mp3 plays in a browser.
      [call] = await tx
        .update(callLogs)
        .set({
          recordingUrl: /\.(mp3|wav)$/.test(recordingUrl) ? recordingUrl : `${recordingUrl}.mp3`,
          updatedAt: sql`now()`,
        })
        .where(eq(callLogs.id, call!.id))
        .returning();
      await refreshCallMessage(tx, call!);
      result = 'recording';
    }
    const outcome = FINAL[status];
    if (outcome && !call!.messageId) {
      const answered =
        outcome === 'answered' && duration > 0 ? 'answered' : outcome === 'answered' ? 'missed' : outcome;
      [call] = await tx
        .update(callLogs)
        .set({
          outcome: answered,
          durationSeconds: Number.isFinite(duration) ? Math.max(0, Math.round(duration)) : 0,
        })
        .where(eq(callLogs.id, call!.id))
        .returning();
      call = await postCall(tx, systemActor(workspaceId), call!, undefined);
      result = 'ended';
    }
    return { callId: call!.id, status: result };
  });
}
