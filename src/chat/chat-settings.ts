import { timingSafeEqual } from 'node:crypto';
import { eq, or, sql } from 'drizzle-orm';
import { type ChatOfficeHours, type ChatPreChatField, chatSettings, workspaces } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { hmacSha256, randomToken, type SecretBox } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, invalid, notFound } from '../platform/errors.ts';

type SettingsRow = typeof chatSettings.$inferSelect;

export type ChatSettings = {
  enabled: boolean;
  brandColor: string;
  title: string;
  greeting: string;
  avatarUrls: string[];
  officeHours: ChatOfficeHours | null;
  replyTime: string;
  offlineMessage: string;
  preChatForm: { enabled: boolean; fields: ChatPreChatField[] };
  requireIdentity: boolean;
};

/** What the chat needs of a workspace at connect time, secrets opened. */
export type ChatWorkspace = {
  id: string;
  name: string;
  settings: ChatSettings;
  visitorKey: string;
  identitySecret: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Every visitor connect reads these; a few seconds of staleness after an admin edit is fine.
const CACHE_MS = 5_000;
const cache = new Map<string, { at: number; value: ChatWorkspace }>();

const settingsOf = (row: SettingsRow): ChatSettings => ({
  enabled: row.enabled,
  brandColor: row.brandColor,
  title: row.title,
  greeting: row.greeting,
  avatarUrls: row.avatarUrls,
  officeHours: row.officeHours ?? null,
  replyTime: row.replyTime,
  offlineMessage: row.offlineMessage,
  preChatForm: row.preChatForm,
  requireIdentity: row.requireIdentity,
});

async function settingsRow(db: Db, box: SecretBox, workspaceId: string): Promise<SettingsRow> {
  const [row] = await db.select().from(chatSettings).where(eq(chatSettings.workspaceId, workspaceId));
  if (row) return row;
  // Created on first use, with fresh secrets; a concurrent first use keeps whichever landed first.
  await db
    .insert(chatSettings)
    .values({
      workspaceId,
      visitorKeySealed: box.seal(randomToken()),
      identitySecretSealed: box.seal(randomToken()),
    })
    .onConflictDoNothing();
  const [created] = await db.select().from(chatSettings).where(eq(chatSettings.workspaceId, workspaceId));
  return created!;
}

/** The workspace a widget names by slug or id, with its chat settings; throws not_found for none. */
export async function chatWorkspace(db: Db, box: SecretBox, ref: string): Promise<ChatWorkspace> {
  const hit = cache.get(ref);
  if (hit && performance.now() - hit.at < CACHE_MS) return hit.value;
  const [workspace] = await db
    .select({ id: workspaces.id, name: workspaces.name })
    .from(workspaces)
    .where(UUID.test(ref) ? or(eq(workspaces.id, ref), eq(workspaces.slug, ref)) : eq(workspaces.slug, ref));
  if (!workspace) throw notFound('Workspace');
  const row = await settingsRow(db, box, workspace.id);
  const value: ChatWorkspace = {
    ...workspace,
    settings: settingsOf(row),
    visitorKey: box.open(row.visitorKeySealed),
    identitySecret: box.open(row.identitySecretSealed),
  };
  if (cache.size > 10_000) cache.clear();
  cache.set(ref, { at: performance.now(), value });
  return value;
}

const forgetWorkspace = (workspaceId: string) => {
  for (const [key, entry] of cache) if (entry.value.id === workspaceId) cache.delete(key);
};

export async function getChatSettings(db: Db, box: SecretBox, actor: Actor): Promise<ChatSettings> {
  return settingsOf(await settingsRow(db, box, actor.workspaceId));
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

function checkOfficeHours(hours: ChatOfficeHours | null | undefined) {
  if (!hours) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: hours.timeZone });
  } catch {
    throw invalid('Unknown time zone', [{ path: 'officeHours.timeZone', message: 'not an IANA zone' }]);
  }
  for (const [day, ranges] of Object.entries(hours.days)) {
    if (!/^[0-6]$/.test(day))
      throw invalid('Days are 0 (Sunday) to 6', [{ path: `officeHours.days.${day}`, message: 'not a day' }]);
    for (const [from, to] of ranges)
      if (!HHMM.test(from) || !HHMM.test(to) || from >= to)
        throw invalid('Office hours are HH:MM ranges', [
          { path: `officeHours.days.${day}`, message: `${from}-${to} is not a range` },
        ]);
  }
}

/** Changes the admin-editable settings; admins only. */
export async function updateChatSettings(
  db: Db,
  box: SecretBox,
  actor: Actor,
  patch: Partial<ChatSettings>,
): Promise<ChatSettings> {
  if (actor.role !== 'admin') throw forbidden('Only admins change the chat settings');
  checkOfficeHours(patch.officeHours);
  await settingsRow(db, box, actor.workspaceId);
  const [row] = await db
    .update(chatSettings)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(chatSettings.workspaceId, actor.workspaceId))
    .returning();
  forgetWorkspace(actor.workspaceId);
  return settingsOf(row!);
}

/** The identity-verification secret sites HMAC user ids with; `rotate` replaces it (old hashes stop working). */
export async function identitySecret(db: Db, box: SecretBox, actor: Actor, rotate: boolean): Promise<string> {
  if (actor.role !== 'admin') throw forbidden('Only admins see the identity secret');
  const row = await settingsRow(db, box, actor.workspaceId);
  if (!rotate) return box.open(row.identitySecretSealed);
  const secret = randomToken();
  await db
    .update(chatSettings)
    .set({ identitySecretSealed: box.seal(secret), updatedAt: sql`now()` })
    .where(eq(chatSettings.workspaceId, actor.workspaceId));
  forgetWorkspace(actor.workspaceId);
  return secret;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A new anonymous visitor's id and the token the widget keeps for it (signed, so ids cannot be made up). */
export function newVisitorToken(workspace: ChatWorkspace): { visitorId: string; token: string } {
  const visitorId = randomToken(16);
  return { visitorId, token: visitorToken(workspace, visitorId) };
}

export const visitorToken = (workspace: ChatWorkspace, visitorId: string) =>
  `v1.${visitorId}.${hmacSha256(workspace.visitorKey, `visitor:${visitorId}`).slice(0, 43)}`;

/** The visitor id a token names, or undefined when it was not signed by this workspace. */
export function visitorIdOf(workspace: ChatWorkspace, token: string): string | undefined {
  const [version, visitorId] = token.split('.');
  if (version !== 'v1' || !visitorId) return undefined;
  return sameText(visitorToken(workspace, visitorId), token) ? visitorId : undefined;
}

/** Identity verification as Intercom does it: the site sends hex HMAC-SHA256(secret, userId). */
export const identityHash = (secret: string, userId: string) => hmacSha256(secret, userId);

export function verifiedUser(workspace: ChatWorkspace, userId: string, hash: string): boolean {
  return sameText(identityHash(workspace.identitySecret, userId), hash.toLowerCase());
}

/** Whether the office hours (if any) include `now`, judged in their time zone. */
export function withinOfficeHours(hours: ChatOfficeHours | null, now: Date): boolean {
  if (!hours) return true;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: hours.timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(part('weekday'));
  const time = `${part('hour')}:${part('minute')}`;
  return (hours.days[String(day)] ?? []).some(([from, to]) => time >= from && time < to);
}
