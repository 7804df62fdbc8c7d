import { eq } from 'drizzle-orm';
import { intelTriageSettings, type TriageMapping, type TriageSource } from '../db/schema/index.ts';
import { listFields } from '../fields/field-service.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { memoInBatch } from '../platform/db/batch-memo.ts';
import type { Db } from '../platform/db/database.ts';
import { invalid } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { listTeams } from '../teams/team-service.ts';
import { normaliseTags, type TicketRow } from '../tickets/ticket-records.ts';
import type { TicketPatch } from '../tickets/ticket-service.ts';

declare module '../platform/queue/queue.ts' {
  interface JobTypes {
    /** Trains the workspace's triage model: from scratch, or by learning the agents' new corrections. */
    'intel.triage.train': { workspaceId: string; mode: 'full' | 'corrections' };
  }
}

export type TriageSettings = {
  enabled: boolean;
  source: TriageSource;
  threshold: number;
  mapping: TriageMapping;
};

export type TriageSettingsInput = Partial<TriageSettings> & { source: TriageSource };

/** The workspace's triage settings, or null when triage has not been set up. */
export function readTriageSettings(db: Db, workspaceId: string): Promise<TriageSettings | null> {
  return memoInBatch(db, `triage-settings:${workspaceId}`, () => readTriageSettingsNow(db, workspaceId));
}

async function readTriageSettingsNow(db: Db, workspaceId: string): Promise<TriageSettings | null> {
  const [row] = await db
    .select({
      enabled: intelTriageSettings.enabled,
      source: intelTriageSettings.source,
      threshold: intelTriageSettings.threshold,
      mapping: intelTriageSettings.mapping,
    })
    .from(intelTriageSettings)
    .where(eq(intelTriageSettings.workspaceId, workspaceId));
  return row ?? null;
}

const normaliseSource = (source: TriageSource): TriageSource =>
  source.kind === 'tags' ? { kind: 'tags', prefix: normaliseTags([source.prefix])[0] ?? '' } : source;

async function checkSettings(db: Db, actor: Actor, settings: TriageSettings) {
  if (settings.source.kind === 'field') {
    const { key } = settings.source;
    const fields = await listFields(db, actor, 'ticket');
    const field = fields.find((f) => f.key === key);
    if (!field)
      throw invalid(`No ticket custom field "${key}"`, [{ path: 'source.key', message: 'unknown' }]);
    if (field.type !== 'select' && field.type !== 'text')
      throw invalid(`The field "${key}" is a ${field.type} field; categories need a select or text field`);
  } else if (settings.source.prefix === '') {
    throw invalid('A tag group needs a prefix such as "topic:"', [
      { path: 'source.prefix', message: 'empty' },
    ]);
  }
  const teamIds = new Set((await listTeams(db, actor)).map((team) => team.id));
  for (const [category, target] of Object.entries(settings.mapping)) {
    if (target.teamId && !teamIds.has(target.teamId))
      throw invalid(`The mapping for "${category}" names an unknown team`, [
        { path: `mapping.${category}.teamId`, message: 'unknown team' },
      ]);
  }
}

/**
 * Saves the workspace's triage settings and, when the label source changed, queues a full training.
 * Throws invalid for an unknown field or team.
 */
export async function saveTriageSettings(
  db: Db,
  queue: Queue,
  actor: Actor,
  input: TriageSettingsInput,
): Promise<TriageSettings> {
  return db.transaction(async (tx) => {
    const before = await readTriageSettings(tx, actor.workspaceId);
    const settings: TriageSettings = {
      enabled: input.enabled ?? before?.enabled ?? true,
      source: normaliseSource(input.source),
      threshold: input.threshold ?? before?.threshold ?? 0.8,
      mapping: input.mapping ?? before?.mapping ?? {},
    };
    await checkSettings(tx, actor, settings);
    await tx
      .insert(intelTriageSettings)
      .values({ workspaceId: actor.workspaceId, ...settings, updatedByUserId: actor.userId })
      .onConflictDoUpdate({
        target: intelTriageSettings.workspaceId,
        set: { ...settings, updatedByUserId: actor.userId, updatedAt: new Date() },
      });
    const sourceChanged = JSON.stringify(before?.source) !== JSON.stringify(settings.source);
    if (sourceChanged) await queueTraining(tx, queue, actor.workspaceId, 'full');
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'intel.triage_settings.updated',
      payload: { actorId: actor.userId, source: settings.source, threshold: settings.threshold },
    });
    return settings;
  });
}

export async function queueTraining(tx: Db, queue: Queue, workspaceId: string, mode: 'full' | 'corrections') {
  await queue.send(
    'intel.triage.train',
    { workspaceId, mode },
    { tx, singletonKey: `triage:${mode}:${workspaceId}`, retryLimit: 2 },
  );
}

/** The category a ticket carries under the workspace's label source, if any. */
export function categoryOf(
  source: TriageSource,
  ticket: Pick<TicketRow, 'customFields' | 'tags'>,
): string | undefined {
  if (source.kind === 'field') {
    const value = ticket.customFields[source.key];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  }
  const tag = ticket.tags.find((t) => t.startsWith(source.prefix) && t.length > source.prefix.length);
  return tag?.slice(source.prefix.length);
}

/** The ticket change that files it under `category`, with the team and priority the mapping gives. */
export function categoryPatch(
  settings: Pick<TriageSettings, 'source' | 'mapping'>,
  ticket: Pick<TicketRow, 'tags'>,
  category: string,
): TicketPatch {
  const { source, mapping } = settings;
  const target = mapping[category] ?? {};
  const patch: TicketPatch = {};
  if (source.kind === 'field') patch.customFields = { [source.key]: category };
  else {
    const tag = normaliseTags([`${source.prefix}${category}`])[0]!;
    // updateTicket removes after adding: the new tag must not be among those removed.
    patch.removeTags = ticket.tags.filter((t) => t.startsWith(source.prefix) && t !== tag);
    patch.addTags = [tag];
  }
  if (target.teamId) patch.teamId = target.teamId;
  if (target.priority) patch.priority = target.priority;
  return patch;
}
