import { eq } from 'drizzle-orm';
import { workspaces } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { memoInBatch } from '../platform/db/batch-memo.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { mergeWorkspaceSetting } from '../workspaces/workspace-service.ts';
import { DEFAULT_THRESHOLD } from './bot-confidence.ts';

export const botChannels = ['chat', 'email', 'web', 'api'] as const;
export type BotChannel = (typeof botChannels)[number];

/** How a workspace's answer bot behaves: kept in `workspaces.settings.answerBot`. */
export type BotSettings = {
  enabled: boolean;
  /** Channels whose first customer message the bot answers. */
  channels: BotChannel[];
  /** Calibrated confidence (0–1) the best article must reach before the bot speaks. */
  threshold: number;
  /** Minutes without an answer to "did this answer your question?" before a person takes over. */
  handoverAfterMinutes: number;
};
export type BotSettingsPatch = { [K in keyof BotSettings]?: BotSettings[K] | undefined };

const DEFAULTS: BotSettings = {
  enabled: false,
  channels: ['chat', 'email', 'web'],
  threshold: DEFAULT_THRESHOLD,
  handoverAfterMinutes: 30,
};

const settingsOf = (settings: Record<string, unknown>): BotSettings => ({
  ...DEFAULTS,
  ...((settings.answerBot ?? {}) as Partial<BotSettings>),
});

/** The workspace's answer-bot settings, defaults filled in (the bot is off until an admin turns it on). */
export function botSettingsOf(db: Db, workspaceId: string): Promise<BotSettings> {
  return memoInBatch(db, `bot-settings:${workspaceId}`, () => botSettingsNow(db, workspaceId));
}

async function botSettingsNow(db: Db, workspaceId: string): Promise<BotSettings> {
  const [row] = await db
    .select({ settings: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  if (!row) throw notFound('Workspace');
  return settingsOf(row.settings);
}

/** Admins switch the bot on or off, pick its channels and tune its threshold. */
export async function updateBotSettings(db: Db, actor: Actor, patch: BotSettingsPatch) {
  if (actor.role !== 'admin') throw forbidden('Only admins change the answer bot');
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  await db.transaction(async (tx) => {
    await mergeWorkspaceSetting(tx, actor.workspaceId, 'answerBot', (current) => ({
      ...current,
      ...defined,
    }));
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'answer_bot.settings.updated',
      payload: { actorId: actor.userId, fields: Object.keys(defined) },
    });
  });
  return botSettingsOf(db, actor.workspaceId);
}
