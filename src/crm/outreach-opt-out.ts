import { and, eq } from 'drizzle-orm';
import { customers } from '../db/schema/index.ts';
import type { SecretBox } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';

/** What an opt-out link needs: the install's secret box to seal it and the public origin to point at. */
export type OptOutLinks = { box: SecretBox; origin: string };

export const OPT_OUT_FOOTER =
  'You are getting this because of your account with us. To stop messages like this:';

type OptOutClaim = { workspaceId: string; customerId: string };

/** A sealed link that turns off this customer's proactive messages; it never expires, as the law expects. */
export function optOutUrl(links: OptOutLinks, claim: OptOutClaim): string {
  const token = links.box.seal(JSON.stringify({ k: 'opt-out', w: claim.workspaceId, c: claim.customerId }));
  return `${links.origin}/outreach/opt-out?t=${encodeURIComponent(token)}`;
}

/** The customer an opt-out token names, or undefined for a token we did not seal. */
export function readOptOut(box: SecretBox, token: string): OptOutClaim | undefined {
  try {
    const claim = JSON.parse(box.open(token)) as { k?: unknown; w?: unknown; c?: unknown };
    if (claim.k !== 'opt-out' || typeof claim.w !== 'string' || typeof claim.c !== 'string') return undefined;
    return { workspaceId: claim.w, customerId: claim.c };
  } catch {
    return undefined;
  }
}

/**
 * Turns off proactive messages for the customer the token names (consent_proactive = false), once, with
 * an event for the audit trail. Resolves to false for a token that is not ours or a customer gone.
 */
export async function optOut(db: Db, box: SecretBox, token: string): Promise<boolean> {
  const claim = readOptOut(box, token);
  if (!claim) return false;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(customers)
      .set({ consentProactive: false, updatedAt: new Date() })
      .where(and(eq(customers.id, claim.customerId), eq(customers.workspaceId, claim.workspaceId)))
      .returning({ id: customers.id });
    if (!row) return false;
    await recordEvent(tx, {
      workspaceId: claim.workspaceId,
      type: 'customer.opted_out',
      payload: { customer: { id: row.id }, of: 'proactive' },
    });
    return true;
  });
}
