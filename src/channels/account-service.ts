import { and, asc, eq } from 'drizzle-orm';
import { channelAccounts } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { SecretBox } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';
import { invalid, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';

export type AccountKind = 'generic' | 'whatsapp' | 'telegram' | 'twilio';
export type AccountRow = typeof channelAccounts.$inferSelect;

/** An account with its secrets opened: only ever held in memory, never returned by the API. */
export type OpenAccount = AccountRow & { secret: string; token: string | null };
/** The parts of an open account that adapters read when sending. */
export type SendingAccount = Pick<OpenAccount, 'id' | 'settings' | 'secret' | 'token'>;

/** Settings each kind needs, with the documented defaults for the platform's base URL and version. */
const defaults: Record<AccountKind, Record<string, string>> = {
  generic: {},
  whatsapp: { apiBase: 'https://graph.facebook.com', apiVersion: 'v21.0' },
  telegram: { apiBase: 'https://api.telegram.org' },
  twilio: {},
};
const required: Record<AccountKind, string[]> = {
  generic: ['outboundUrl'],
  whatsapp: ['phoneNumberId'],
  telegram: [],
  twilio: [],
};

export type AccountInput = {
  kind: AccountKind;
  name: string;
  secret: string;
  token?: string | undefined;
  verifyToken?: string | undefined;
  settings?: Record<string, string> | undefined;
};

function checkUrl(value: string | undefined, path: string) {
  if (value === undefined) return;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return;
  } catch {}
  throw invalid('Not an http(s) URL', [{ path, message: 'must be an http or https URL' }]);
}

/** Connects a platform: validates its settings, seals its secrets. Admins only (checked by the route). */
export async function createAccount(db: Db, box: SecretBox, actor: Actor, input: AccountInput) {
  const settings = { ...defaults[input.kind], ...input.settings };
  for (const key of required[input.kind])
    if (!settings[key])
      throw invalid(`A ${input.kind} account needs ${key}`, [
        { path: `settings.${key}`, message: 'is required' },
      ]);
  if ((input.kind === 'whatsapp' || input.kind === 'telegram') && !input.token)
    throw invalid(`A ${input.kind} account needs the token it sends with`, [
      { path: 'token', message: 'is required' },
    ]);
  if (input.kind === 'whatsapp' && !input.verifyToken)
    throw invalid('A WhatsApp account needs the verify token of its webhook', [
      { path: 'verifyToken', message: 'is required' },
    ]);
  checkUrl(settings.apiBase, 'settings.apiBase');
  checkUrl(settings.outboundUrl, 'settings.outboundUrl');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(channelAccounts)
      .values({
        workspaceId: actor.workspaceId,
        kind: input.kind,
        name: input.name.trim() || input.kind,
        settings,
        secretEncrypted: box.seal(input.secret),
        tokenEncrypted: input.token ? box.seal(input.token) : null,
        verifyToken: input.verifyToken ?? null,
      })
      .returning();
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'channel_account.created',
      payload: { account: { id: row!.id, kind: row!.kind, name: row!.name }, actorId: actor.userId },
    });
    return row!;
  });
}

export async function listAccounts(db: Db, actor: Actor): Promise<AccountRow[]> {
  return db
    .select()
    .from(channelAccounts)
    .where(eq(channelAccounts.workspaceId, actor.workspaceId))
    .orderBy(asc(channelAccounts.createdAt));
}

export async function deleteAccount(db: Db, actor: Actor, id: string) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(channelAccounts)
      .where(and(eq(channelAccounts.id, id), eq(channelAccounts.workspaceId, actor.workspaceId)))
      .returning({ id: channelAccounts.id });
    if (!row) throw notFound('Channel account');
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'channel_account.deleted',
      payload: { account: { id }, actorId: actor.userId },
    });
  });
}

/**
 * The active account of this kind behind a public webhook URL, secrets opened. Throws not found for
 * any other id, so a caller cannot tell a deleted account from one that never existed.
 */
export async function webhookAccount(
  db: Db,
  box: SecretBox,
  kind: AccountKind,
  id: string,
): Promise<OpenAccount> {
  const [row] = await db
    .select()
    .from(channelAccounts)
    .where(and(eq(channelAccounts.id, id), eq(channelAccounts.kind, kind), eq(channelAccounts.active, true)));
  if (!row) throw notFound('Channel');
  return openAccount(box, row);
}

export const openAccount = <T extends Pick<AccountRow, 'secretEncrypted' | 'tokenEncrypted'>>(
  box: SecretBox,
  row: T,
): T & { secret: string; token: string | null } => ({
  ...row,
  secret: box.open(row.secretEncrypted),
  token: row.tokenEncrypted ? box.open(row.tokenEncrypted) : null,
});
