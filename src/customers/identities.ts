export const identityKinds = ['email', 'phone', 'external_id', 'visitor_id'] as const;
export type IdentityKind = (typeof identityKinds)[number];
export type Identity = { kind: IdentityKind; value: string };

/** The ways a channel may name a customer; at least one is needed to find or create them. */
export type CustomerRef = {
  email?: string | undefined;
  phone?: string | undefined;
  externalId?: string | undefined;
  visitorId?: string | undefined;
  name?: string | undefined;
};

export function normaliseIdentity(kind: IdentityKind, value: string): string {
  const trimmed = value.trim();
  if (kind === 'email') return trimmed.toLowerCase();
  // "+44 (20) 7946-0958" and "+442079460958" are one number.
  if (kind === 'phone') return trimmed.replace(/(?!^\+)[^\d]/g, '');
  return trimmed;
}

export function identitiesOf(ref: CustomerRef): Identity[] {
  const found: Identity[] = [];
  if (ref.email) found.push({ kind: 'email', value: normaliseIdentity('email', ref.email) });
  if (ref.phone) found.push({ kind: 'phone', value: normaliseIdentity('phone', ref.phone) });
  if (ref.externalId)
    found.push({ kind: 'external_id', value: normaliseIdentity('external_id', ref.externalId) });
  if (ref.visitorId)
    found.push({ kind: 'visitor_id', value: normaliseIdentity('visitor_id', ref.visitorId) });
  return found.filter((identity) => identity.value.length > 0);
}

/** A readable name when the channel gave none: "jane.doe@example.com" becomes "Jane Doe". */
export function nameFromEmail(email: string): string {
  const local = email.split('@')[0] ?? '';
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
}
