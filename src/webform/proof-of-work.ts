import { createHash } from 'node:crypto';
import { lt } from 'drizzle-orm';
import { contactFormStamps } from '../db/schema/index.ts';
import type { SecretBox } from '../platform/crypto.ts';
import { sha256 } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';

/** How long a challenge handed out with the form may be solved and sent. */
export const CHALLENGE_TTL_MS = 30 * 60_000;

/**
 * A hashcash challenge for one form view: the workspace, the time and the difficulty, sealed under the
 * install's key so a visitor can neither forge an easier one nor move it to another workspace.
 */
export const newChallenge = (box: SecretBox, workspaceId: string, bits: number, now: Date) =>
  box.seal(JSON.stringify({ w: workspaceId, t: now.getTime(), b: bits }));

/** Leading zero bits of a digest. */
export function leadingZeroBits(digest: Buffer): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    bits += Math.clz32(byte) - 24;
    break;
  }
  return bits;
}

export const stampDigest = (challenge: string, nonce: string) =>
  createHash('sha256').update(`${challenge}:${nonce}`).digest();

/** Finds a nonce for the challenge the way the form's script does; for tests and scripted clients. */
export function solveChallenge(challenge: string, bits: number): string {
  for (let nonce = 0; ; nonce++)
    if (leadingZeroBits(stampDigest(challenge, String(nonce))) >= bits) return String(nonce);
}

export type StampCheck = { ok: true; stampHash: string; expiresAt: Date } | { ok: false; reason: string };

/**
 * Checks a solved challenge: sealed by us for this workspace, fresh, at least as hard as the form asks
 * now, and the nonce really solves it. Spending it (once) is the submission transaction's job.
 */
export function checkStamp(
  box: SecretBox,
  input: { workspaceId: string; challenge: string; nonce: string; bits: number; now: Date },
): StampCheck {
  let claim: { w?: unknown; t?: unknown; b?: unknown };
  try {
    claim = JSON.parse(box.open(input.challenge)) as typeof claim;
  } catch {
    return { ok: false, reason: 'The form expired; reload the page and send it again' };
  }
  const issued = typeof claim.t === 'number' ? claim.t : Number.NaN;
  const age = input.now.getTime() - issued;
  if (claim.w !== input.workspaceId || !(age >= -60_000 && age <= CHALLENGE_TTL_MS))
    return { ok: false, reason: 'The form expired; reload the page and send it again' };
  if (typeof claim.b !== 'number' || claim.b < input.bits)
    return { ok: false, reason: 'The form changed; reload the page and send it again' };
  if (!/^\d{1,12}$/.test(input.nonce) || leadingZeroBits(stampDigest(input.challenge, input.nonce)) < claim.b)
    return { ok: false, reason: 'Your browser did not finish its check; send the form again' };
  return { ok: true, stampHash: sha256(input.challenge), expiresAt: new Date(issued + CHALLENGE_TTL_MS) };
}

/**
 * Spends a checked stamp inside the submission's transaction: false when it was spent already. Stamps
 * past their challenge's lifetime are swept on the way, since they could not be sent again anyway.
 */
export async function spendStamp(
  tx: Db,
  stamp: { workspaceId: string; stampHash: string; expiresAt: Date },
  now: Date,
): Promise<boolean> {
  await tx.delete(contactFormStamps).where(lt(contactFormStamps.expiresAt, now));
  const rows = await tx
    .insert(contactFormStamps)
    .values(stamp)
    .onConflictDoNothing()
    .returning({ stampHash: contactFormStamps.stampHash });
  return rows.length > 0;
}
