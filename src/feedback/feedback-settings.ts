import { eq } from 'drizzle-orm';
import { feedbackSettings } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, invalid } from '../platform/errors.ts';

export const DEFAULT_CSAT_DELAY_MINUTES = 60;
export const DEFAULT_LINK_TTL_HOURS = 168;
/** The channels a CSAT delay can be set for (those of tickets). */
export const surveyChannels = ['email', 'chat', 'web', 'api', 'phone', 'social'] as const;
const MAX_DELAY_MINUTES = 30 * 24 * 60;

export type FeedbackSettings = {
  csatEnabled: boolean;
  /** Minutes after a solve before the survey goes out, per channel; a channel left out waits the default. */
  csatDelayMinutes: Record<string, number>;
  linkTtlHours: number;
};

/** A workspace's survey settings, defaults filled in for a workspace that never set them. */
export async function feedbackSettingsOf(db: Db, workspaceId: string): Promise<FeedbackSettings> {
  const [row] = await db.select().from(feedbackSettings).where(eq(feedbackSettings.workspaceId, workspaceId));
  return {
    csatEnabled: row?.csatEnabled ?? true,
    csatDelayMinutes: row?.csatDelayMinutes ?? {},
    linkTtlHours: row?.linkTtlHours ?? DEFAULT_LINK_TTL_HOURS,
  };
}

export const csatDelayFor = (settings: FeedbackSettings, channel: string) =>
  settings.csatDelayMinutes[channel] ?? DEFAULT_CSAT_DELAY_MINUTES;

/** Changes the survey settings (admins); throws validation_failed for an unknown channel or a delay out of range. */
export async function putFeedbackSettings(
  deps: { db: Db; clock: Clock },
  actor: Actor,
  input: Partial<FeedbackSettings>,
): Promise<FeedbackSettings> {
  if (actor.role !== 'admin') throw forbidden('Only admins change survey settings');
  for (const [channel, minutes] of Object.entries(input.csatDelayMinutes ?? {})) {
    if (!(surveyChannels as readonly string[]).includes(channel))
      throw invalid(`No such channel: ${channel}`, [
        { path: `csatDelayMinutes.${channel}`, message: 'not a channel' },
      ]);
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_DELAY_MINUTES)
      throw invalid('A delay is whole minutes, at most 30 days', [
        { path: `csatDelayMinutes.${channel}`, message: 'out of range' },
      ]);
  }
  return deps.db.transaction(async (tx) => {
    const next = { ...(await feedbackSettingsOf(tx, actor.workspaceId)), ...input };
    await tx
      .insert(feedbackSettings)
      .values({ workspaceId: actor.workspaceId, ...next, updatedAt: deps.clock.now() })
      .onConflictDoUpdate({
        target: feedbackSettings.workspaceId,
        set: { ...next, updatedAt: deps.clock.now() },
      });
    return next;
  });
}
