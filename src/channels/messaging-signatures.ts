import { createHmac, timingSafeEqual } from 'node:crypto';

export const sameText = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** WhatsApp (Meta) webhooks: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body under the app secret>`. */
export function hubSignature(appSecret: string, raw: Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

/**
 * The generic channel signs both ways like Rapport's webhooks: `X-Rapport-Signature: sha256=<hex>` of
 * HMAC-SHA256 over `${X-Rapport-Timestamp}.${raw body}`; timestamps more than 5 minutes off are refused.
 */
export function rapportSignature(secret: string, timestamp: string, raw: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest('hex')}`;
}

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function verifyRapportSignature(
  secret: string,
  raw: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  nowMs: number,
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return false;
  return sameText(rapportSignature(secret, timestamp, raw), signature);
}
