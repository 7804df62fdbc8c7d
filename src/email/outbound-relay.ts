import { isIP } from 'node:net';
import { eq } from 'drizzle-orm';
import { emailRelays } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { SecretBox } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, invalid } from '../platform/errors.ts';
import { isPrivateAddress } from '../platform/net/private-addresses.ts';
import { hurryQueued } from './outbound-queue.ts';

type RelayRow = typeof emailRelays.$inferSelect;

/** A relay ready to connect to, its password opened. */
export type Relay = {
  /** Whose it is: the workspace's own (an admin chose it), or the install's RAPPORT_SMTP_RELAY_URL. */
  source: 'workspace' | 'environment';
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  password: string | null;
};

/** What the API shows of a workspace's relay: never the password, only whether there is one. */
export type RelayView = {
  relay: {
    host: string;
    port: number;
    secure: boolean;
    username: string | null;
    hasPassword: boolean;
    updatedAt: Date;
  } | null;
  /** No relay of its own, but the install's default relay carries the workspace's mail. */
  usesDefaultRelay: boolean;
};

export type RelayInput = {
  host: string;
  port: number;
  secure?: boolean | undefined;
  username?: string | null | undefined;
  /** Omitted: keep the stored one (only while host and username stay the same); null: remove it. */
  password?: string | null | undefined;
};

export type RelayDeps = {
  db: Db;
  secretBox: SecretBox;
  clock: Clock;
  config: Pick<Config, 'RAPPORT_SMTP_RELAY_URL' | 'RAPPORT_ALLOW_PRIVATE_TARGETS' | 'RAPPORT_PUBLIC_URL'>;
};

const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A host name or an IP address, nothing else (no scheme, port, path or spaces). */
export const isRelayHost = (host: string) => HOSTNAME.test(host) || isIP(host) !== 0;

function requireAdmin(actor: Actor) {
  if (actor.role !== 'admin') throw forbidden('Only admins configure the outbound relay');
}

/**
 * RAPPORT_SMTP_RELAY_URL as a relay: `smtp://user:pass@host:587` (STARTTLS when offered) or
 * `smtps://…:465` (TLS from the first byte). Throws on anything else.
 */
export function parseRelayUrl(value: string): Relay {
  const url = new URL(value);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new Error('RAPPORT_SMTP_RELAY_URL must start with smtp:// or smtps://');
  const secure = url.protocol === 'smtps:';
  return {
    source: 'environment',
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    username: url.username ? decodeURIComponent(url.username) : null,
    password: url.password ? decodeURIComponent(url.password) : null,
  };
}

const view = (row: RelayRow | undefined, config: RelayDeps['config']): RelayView => ({
  relay: row
    ? {
        host: row.host,
        port: row.port,
        secure: row.secure,
        username: row.username,
        hasPassword: row.passwordEncrypted !== null,
        updatedAt: row.updatedAt,
      }
    : null,
  usesDefaultRelay: !row && Boolean(config.RAPPORT_SMTP_RELAY_URL),
});

async function relayRow(db: Db, workspaceId: string): Promise<RelayRow | undefined> {
  const [row] = await db.select().from(emailRelays).where(eq(emailRelays.workspaceId, workspaceId));
  return row;
}

export async function getRelaySettings(deps: RelayDeps, actor: Actor): Promise<RelayView> {
  requireAdmin(actor);
  return view(await relayRow(deps.db, actor.workspaceId), deps.config);
}

/**
 * Sets the workspace's relay and makes its queued mail due at once. Private and loopback literals are
 * refused unless RAPPORT_ALLOW_PRIVATE_TARGETS (names are checked again when the worker connects).
 */
export async function putRelaySettings(deps: RelayDeps, actor: Actor, input: RelayInput): Promise<RelayView> {
  requireAdmin(actor);
  const host = input.host.trim().toLowerCase();
  if (!isRelayHost(host))
    throw invalid('The relay host must be a host name or an IP address', [
      { path: 'host', message: 'not a host name' },
    ]);
  if (!deps.config.RAPPORT_ALLOW_PRIVATE_TARGETS && (isPrivateAddress(host) || host === 'localhost'))
    throw invalid('The relay host is a private or loopback address', [
      { path: 'host', message: 'private addresses are not allowed' },
    ]);
  const username = input.username?.trim() || null;
  return deps.db.transaction(async (tx) => {
    const before = await relayRow(tx, actor.workspaceId);
    // A kept password must not follow the relay to another server: it would hand it to that server.
    const keep = before && before.host === host && before.username === username;
    const passwordEncrypted =
      input.password === undefined
        ? keep
          ? before.passwordEncrypted
          : null
        : input.password === null || input.password === ''
          ? null
          : deps.secretBox.seal(input.password);
    const values = {
      host,
      port: input.port,
      secure: input.secure ?? input.port === 465,
      username,
      passwordEncrypted,
      updatedAt: deps.clock.now(),
    };
    const [row] = await tx
      .insert(emailRelays)
      .values({ workspaceId: actor.workspaceId, ...values })
      .onConflictDoUpdate({ target: emailRelays.workspaceId, set: values })
      .returning();
    await hurryQueued(tx, actor.workspaceId, deps.clock.now());
    return view(row, deps.config);
  });
}

/** Removes the workspace's relay; its mail then goes through the default relay, if the install has one. */
export async function deleteRelaySettings(deps: RelayDeps, actor: Actor): Promise<void> {
  requireAdmin(actor);
  await deps.db.delete(emailRelays).where(eq(emailRelays.workspaceId, actor.workspaceId));
}

/** The relay a workspace's mail goes through now, password opened; undefined when there is none. */
export async function relayFor(
  deps: Pick<RelayDeps, 'db' | 'secretBox' | 'config'>,
  workspaceId: string,
): Promise<Relay | undefined> {
  const row = await relayRow(deps.db, workspaceId);
  if (row)
    return {
      source: 'workspace',
      host: row.host,
      port: row.port,
      secure: row.secure,
      username: row.username,
      password: row.passwordEncrypted ? deps.secretBox.open(row.passwordEncrypted) : null,
    };
  return deps.config.RAPPORT_SMTP_RELAY_URL ? parseRelayUrl(deps.config.RAPPORT_SMTP_RELAY_URL) : undefined;
}
