import { and, count, eq, gt, isNull, lt } from 'drizzle-orm';
import { normaliseIdentity } from '../customers/identities.ts';
import { customerIdentities, customers, portalLinks, portalSessions } from '../db/schema/index.ts';
import { queueOutbound, senderFor } from '../email/outbound-queue.ts';
import { escapeHtml } from '../helpcenter/helpcenter-html.ts';
import type { Config } from '../platform/config.ts';
import { randomToken, type SecretBox, sha256 } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';

/** A sign-in link works once, for this long. */
export const LINK_TTL_MINUTES = 30;
/** A customer gets at most this many links an hour, however often the form is sent. */
export const LINKS_PER_HOUR = 5;
export const PORTAL_SESSION_HOURS = 72;
export const PORTAL_COOKIE = 'rapport_portal';

export type PortalCustomer = { workspaceId: string; customerId: string };

const openLinkToken = (box: SecretBox, token: string) => {
  try {
    const claim = JSON.parse(box.open(token)) as { l?: unknown; w?: unknown };
    return typeof claim.l === 'string' && typeof claim.w === 'string'
      ? { linkId: claim.l, workspaceId: claim.w }
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Emails a one-time sign-in link to the customer this address belongs to, through the outbound email
 * queue, in one transaction. An address nobody has, or a customer who asked too often, gets nothing,
 * and the caller says the same either way, so the form tells no one who is a customer.
 */
export async function requestSignInLink(
  deps: { db: Db; secretBox: SecretBox; config: Pick<Config, 'RAPPORT_PUBLIC_URL'> },
  input: { workspaceId: string; email: string; linkBase: string },
  now: Date,
): Promise<'sent' | 'unknown' | 'throttled'> {
  const email = normaliseIdentity('email', input.email);
  return deps.db.transaction(async (tx) => {
    const [identity] = await tx
      .select({ customerId: customerIdentities.customerId })
      .from(customerIdentities)
      .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
      .where(
        and(
          eq(customerIdentities.workspaceId, input.workspaceId),
          eq(customerIdentities.kind, 'email'),
          eq(customerIdentities.value, email),
          isNull(customers.mergedIntoId),
        ),
      );
    if (!identity) return 'unknown';
    const [recent] = await tx
      .select({ n: count() })
      .from(portalLinks)
      .where(
        and(
          eq(portalLinks.customerId, identity.customerId),
          gt(portalLinks.createdAt, new Date(now.getTime() - 3_600_000)),
        ),
      );
    if ((recent?.n ?? 0) >= LINKS_PER_HOUR) return 'throttled';
    const [link] = await tx
      .insert(portalLinks)
      .values({
        workspaceId: input.workspaceId,
        customerId: identity.customerId,
        email,
        createdAt: now,
        expiresAt: new Date(now.getTime() + LINK_TTL_MINUTES * 60_000),
      })
      .returning({ id: portalLinks.id });
    const token = deps.secretBox.seal(JSON.stringify({ l: link!.id, w: input.workspaceId }));
    const url = `${input.linkBase}/enter?t=${encodeURIComponent(token)}`;
    const sender = await senderFor(tx, deps.config, input.workspaceId, null);
    const lifetime = `The link works once, for ${LINK_TTL_MINUTES} minutes. If you did not ask for it, ignore this email.`;
    await queueOutbound(tx, {
      workspaceId: input.workspaceId,
      kind: 'notification',
      dedupeKey: `portal-link:${link!.id}`,
      ticketId: null,
      messageId: null,
      fromAddress: sender.address,
      fromName: sender.brand,
      to: [email],
      subject: `Sign in to see your requests at ${sender.brand}`,
      bodyText: `Open this link to see your requests at ${sender.brand}:\n\n${url}\n\n${lifetime}\n`,
      bodyHtml: `<p>Open this link to see your requests at ${escapeHtml(sender.brand)}:</p><p><a href="${escapeHtml(url)}">Sign in</a></p><p style="color:#666">${escapeHtml(lifetime)}</p>`,
      threads: false,
    });
    return 'sent';
  });
}

export type RedeemOutcome =
  | { status: 'signed_in'; token: string; expiresAt: Date; customerId: string }
  | { status: 'invalid' | 'expired' | 'used' };

/**
 * Turns a sign-in link into a portal session, once: the link is spent in the same transaction that
 * opens the session. A link of another workspace's portal is invalid here.
 */
export async function redeemSignInLink(
  db: Db,
  box: SecretBox,
  input: { workspaceId: string; token: string },
  now: Date,
): Promise<RedeemOutcome> {
  const claim = openLinkToken(box, input.token);
  if (!claim || claim.workspaceId !== input.workspaceId) return { status: 'invalid' };
  return db.transaction(async (tx): Promise<RedeemOutcome> => {
    const [link] = await tx
      .select()
      .from(portalLinks)
      .where(and(eq(portalLinks.id, claim.linkId), eq(portalLinks.workspaceId, input.workspaceId)))
      .for('update');
    if (!link) return { status: 'invalid' };
    if (link.usedAt) return { status: 'used' };
    if (link.expiresAt <= now) return { status: 'expired' };
    await tx.update(portalLinks).set({ usedAt: now }).where(eq(portalLinks.id, link.id));
    const token = randomToken();
    const expiresAt = new Date(now.getTime() + PORTAL_SESSION_HOURS * 3_600_000);
    await tx.insert(portalSessions).values({
      tokenHash: sha256(token),
      workspaceId: link.workspaceId,
      customerId: link.customerId,
      createdAt: now,
      expiresAt,
    });
    await tx.delete(portalSessions).where(lt(portalSessions.expiresAt, now));
    return { status: 'signed_in', token, expiresAt, customerId: link.customerId };
  });
}

/** The customer a portal cookie signs in, in this workspace only; undefined for none or an expired one. */
export async function resolvePortalSession(
  db: Db,
  workspaceId: string,
  token: string | undefined,
  now: Date,
): Promise<PortalCustomer | undefined> {
  if (!token) return undefined;
  const [row] = await db
    .select({ customerId: portalSessions.customerId })
    .from(portalSessions)
    .where(
      and(
        eq(portalSessions.tokenHash, sha256(token)),
        eq(portalSessions.workspaceId, workspaceId),
        gt(portalSessions.expiresAt, now),
      ),
    );
  return row ? { workspaceId, customerId: row.customerId } : undefined;
}

export async function endPortalSession(db: Db, token: string) {
  await db.delete(portalSessions).where(eq(portalSessions.tokenHash, sha256(token)));
}
