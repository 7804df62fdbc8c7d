import { isIP } from 'node:net';
import { and, asc, eq, sql } from 'drizzle-orm';
import { emailMailboxes, teams } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Config } from '../platform/config.ts';
import type { SecretBox } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';
import { conflict, forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { isPrivateAddress } from '../platform/net/private-addresses.ts';
import type { ImapPoller, PollOutcome } from './imap-poller.ts';

export type Mailbox = typeof emailMailboxes.$inferSelect;

export type MailboxDeps = {
  db: Db;
  secretBox: SecretBox;
  config: Pick<Config, 'RAPPORT_ALLOW_PRIVATE_TARGETS'>;
};

export type MailboxInput = {
  host: string;
  port?: number | undefined;
  secure?: boolean | undefined;
  username: string;
  password: string;
  folder?: string | undefined;
  teamId?: string | null | undefined;
  active?: boolean | undefined;
};
export type MailboxPatch = Partial<MailboxInput>;

const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?)*$/i;

function requireAdmin(actor: Actor) {
  if (actor.role !== 'admin') throw forbidden('Only admins manage mailboxes');
}

/** A host name or IP address; private and loopback ones only when the install allows them. */
function checkHost(value: string, allowPrivate: boolean): string {
  const host = value
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (!HOSTNAME.test(host) && isIP(host) === 0)
    throw invalid('The IMAP host must be a host name or an IP address', [
      { path: 'host', message: 'not a host name' },
    ]);
  // Names are checked again when the poller connects; literal addresses fail here already.
  if (!allowPrivate && (isPrivateAddress(host) || host === 'localhost' || host.endsWith('.localhost')))
    throw invalid('The IMAP host is a private or loopback address', [
      { path: 'host', message: 'private addresses are not allowed' },
    ]);
  return host;
}

function checkFolder(value: string): string {
  const folder = value.trim();
  // Control characters would break the IMAP command line; the folder name is sent quoted.
  if (!folder || folder.length > 255 || /\p{Cc}/u.test(folder))
    throw invalid('The folder must be a folder name', [{ path: 'folder', message: 'not a folder name' }]);
  return folder;
}

function checkUsername(value: string): string {
  const username = value.trim();
  if (!username || username.length > 320 || /\p{Cc}/u.test(username))
    throw invalid('The username must not be empty', [{ path: 'username', message: 'not a username' }]);
  return username;
}

function checkPassword(value: string): string {
  if (!value || value.length > 1000 || /[\r\n\0]/.test(value))
    throw invalid('The password must be 1 to 1000 characters on one line', [
      { path: 'password', message: 'not a usable password' },
    ]);
  return value;
}

async function checkTeam(db: Db, workspaceId: string, teamId: string | null | undefined) {
  if (!teamId) return;
  const [team] = await db
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.id, teamId), eq(teams.workspaceId, workspaceId)));
  if (!team) throw invalid('No such team', [{ path: 'teamId', message: 'not found' }]);
}

/** One folder of one account is polled once: a second entry would only fetch everything twice. */
async function checkUnique(
  db: Db,
  workspaceId: string,
  mailbox: Pick<Mailbox, 'host' | 'username' | 'folder'>,
  except?: string,
) {
  const [other] = await db
    .select({ id: emailMailboxes.id })
    .from(emailMailboxes)
    .where(
      and(
        eq(emailMailboxes.workspaceId, workspaceId),
        eq(emailMailboxes.host, mailbox.host),
        eq(emailMailboxes.username, mailbox.username),
        eq(emailMailboxes.folder, mailbox.folder),
        except ? sql`${emailMailboxes.id} <> ${except}` : undefined,
      ),
    );
  if (other) throw conflict('This folder of this account is already polled');
}

/** Adds a mailbox to poll; the password is stored sealed and never shown again. Admins only. */
export async function createMailbox(deps: MailboxDeps, actor: Actor, input: MailboxInput): Promise<Mailbox> {
  requireAdmin(actor);
  const secure = input.secure ?? true;
  const values = {
    host: checkHost(input.host, deps.config.RAPPORT_ALLOW_PRIVATE_TARGETS),
    port: input.port ?? (secure ? 993 : 143),
    secure,
    username: checkUsername(input.username),
    folder: checkFolder(input.folder ?? 'INBOX'),
  };
  await checkTeam(deps.db, actor.workspaceId, input.teamId);
  await checkUnique(deps.db, actor.workspaceId, values);
  const [mailbox] = await deps.db
    .insert(emailMailboxes)
    .values({
      ...values,
      workspaceId: actor.workspaceId,
      passwordEncrypted: deps.secretBox.seal(checkPassword(input.password)),
      teamId: input.teamId ?? null,
      active: input.active ?? true,
    })
    .returning();
  return mailbox!;
}

export async function listMailboxes(db: Db, actor: Actor): Promise<Mailbox[]> {
  requireAdmin(actor);
  return db
    .select()
    .from(emailMailboxes)
    .where(eq(emailMailboxes.workspaceId, actor.workspaceId))
    .orderBy(asc(emailMailboxes.createdAt), asc(emailMailboxes.id));
}

/** Throws not_found for another workspace's mailbox. */
export async function getMailbox(db: Db, actor: Actor, id: string): Promise<Mailbox> {
  requireAdmin(actor);
  const [mailbox] = await db
    .select()
    .from(emailMailboxes)
    .where(and(eq(emailMailboxes.id, id), eq(emailMailboxes.workspaceId, actor.workspaceId)));
  if (!mailbox) throw notFound('Mailbox');
  return mailbox;
}

/**
 * Changes a mailbox. Pointing it at another server, account or folder starts that folder from its
 * first message and ends a poll in flight (its claim is dropped); a new server needs the password
 * again, so the stored one never follows the mailbox to a host the admin did not give it to.
 */
export async function updateMailbox(
  deps: MailboxDeps,
  actor: Actor,
  id: string,
  patch: MailboxPatch,
): Promise<Mailbox> {
  const before = await getMailbox(deps.db, actor, id);
  if (Object.values(patch).every((value) => value === undefined)) throw invalid('Nothing to change');
  const host =
    patch.host === undefined ? before.host : checkHost(patch.host, deps.config.RAPPORT_ALLOW_PRIVATE_TARGETS);
  const username = patch.username === undefined ? before.username : checkUsername(patch.username);
  const folder = patch.folder === undefined ? before.folder : checkFolder(patch.folder);
  const port = patch.port ?? before.port;
  if ((host !== before.host || port !== before.port) && patch.password === undefined)
    throw invalid('Give the password again when moving the mailbox to another server', [
      { path: 'password', message: 'required with a new host or port' },
    ]);
  const moved =
    host !== before.host || port !== before.port || username !== before.username || folder !== before.folder;
  if (patch.teamId !== undefined) await checkTeam(deps.db, actor.workspaceId, patch.teamId);
  if (moved) await checkUnique(deps.db, actor.workspaceId, { host, username, folder }, id);
  const [mailbox] = await deps.db
    .update(emailMailboxes)
    .set({
      host,
      port,
      username,
      folder,
      ...(patch.secure !== undefined && { secure: patch.secure }),
      ...(patch.password !== undefined && {
        passwordEncrypted: deps.secretBox.seal(checkPassword(patch.password)),
      }),
      ...(patch.teamId !== undefined && { teamId: patch.teamId }),
      ...(patch.active !== undefined && { active: patch.active }),
      ...(moved && { uidValidity: null, lastUid: 0, lockedUntil: null, lastPolledAt: null, lastError: null }),
    })
    .where(and(eq(emailMailboxes.id, id), eq(emailMailboxes.workspaceId, actor.workspaceId)))
    .returning();
  if (!mailbox) throw notFound('Mailbox');
  return mailbox;
}

/** Stops polling the mailbox; what was taken in stays. A poll in flight stops at its next message. */
export async function deleteMailbox(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  const deleted = await db
    .delete(emailMailboxes)
    .where(and(eq(emailMailboxes.id, id), eq(emailMailboxes.workspaceId, actor.workspaceId)))
    .returning({ id: emailMailboxes.id });
  if (deleted.length === 0) throw notFound('Mailbox');
}

/**
 * Polls the mailbox now, paused or not, and answers what it took in or why it could not. Throws
 * invalid_state while another poll holds it.
 */
export async function pollMailboxNow(
  db: Db,
  poller: ImapPoller,
  actor: Actor,
  id: string,
): Promise<{ outcome: PollOutcome; mailbox: Mailbox }> {
  await getMailbox(db, actor, id);
  const outcome = await poller.pollNow(actor.workspaceId, id);
  if (!outcome) throw invalidState('This mailbox is being polled right now; try again in a moment');
  return { outcome, mailbox: await getMailbox(db, actor, id) };
}
