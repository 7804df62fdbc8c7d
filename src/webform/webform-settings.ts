import { and, asc, eq } from 'drizzle-orm';
import { customFieldDefinitions, workspaces } from '../db/schema/index.ts';
import type { FieldDefinition } from '../fields/field-service.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { mergeWorkspaceSetting } from '../workspaces/workspace-service.ts';

/** How a workspace's contact form behaves: kept in `workspaces.settings.contactForm`. */
export type ContactFormSettings = {
  enabled: boolean;
  /** Leading zero bits the visitor's browser must find (0: no proof-of-work). */
  powBits: number;
  /** Sites that may frame the embedded form (CSP frame-ancestors); empty means any. */
  embedOrigins: string[];
  /** Ticket fields shown, in this order; null shows them all. Required fields are always shown. */
  fieldKeys: string[] | null;
};
export type ContactFormPatch = { [K in keyof ContactFormSettings]?: ContactFormSettings[K] | undefined };

export const MAX_POW_BITS = 24;

export function contactFormSettingsOf(settings: Record<string, unknown>): ContactFormSettings {
  const stored = (settings.contactForm ?? {}) as Partial<ContactFormSettings>;
  return {
    enabled: stored.enabled ?? true,
    powBits: Math.min(Math.max(Math.trunc(stored.powBits ?? 0), 0), MAX_POW_BITS),
    embedOrigins: stored.embedOrigins ?? [],
    fieldKeys: stored.fieldKeys ?? null,
  };
}

export async function getContactFormSettings(db: Db, workspaceId: string): Promise<ContactFormSettings> {
  const [row] = await db
    .select({ settings: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  if (!row) throw notFound('Workspace');
  return contactFormSettingsOf(row.settings);
}

/** Admins switch the form, its proof-of-work and its framing sites; other settings stay as they are. */
export async function updateContactFormSettings(db: Db, actor: Actor, patch: ContactFormPatch) {
  if (actor.role !== 'admin') throw forbidden('Only admins change the contact form');
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  await db.transaction(async (tx) => {
    await mergeWorkspaceSetting(tx, actor.workspaceId, 'contactForm', (current) => ({
      ...contactFormSettingsOf({ contactForm: current }),
      ...defined,
    }));
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'contact_form.settings.updated',
      payload: { actorId: actor.userId, fields: Object.keys(defined) },
    });
  });
  return getContactFormSettings(db, actor.workspaceId);
}

/** The ticket fields the form asks for: the chosen ones in their order, plus every required one. */
export async function formFields(db: Db, workspaceId: string, settings: ContactFormSettings) {
  const all: FieldDefinition[] = await db
    .select()
    .from(customFieldDefinitions)
    .where(
      and(eq(customFieldDefinitions.workspaceId, workspaceId), eq(customFieldDefinitions.entity, 'ticket')),
    )
    .orderBy(asc(customFieldDefinitions.createdAt), asc(customFieldDefinitions.key));
  if (!settings.fieldKeys) return all;
  const chosen = settings.fieldKeys
    .map((key) => all.find((field) => field.key === key))
    .filter((field): field is FieldDefinition => field !== undefined);
  return [...chosen, ...all.filter((field) => field.required && !chosen.includes(field))];
}

/**
 * A form's string values as the field types want them: numbers parsed, a ticked box true, empty inputs
 * left out. What does not parse is passed on as it came, for the field check to name.
 */
export function fieldValuesFromForm(fields: FieldDefinition[], form: Record<string, string>) {
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = form[`field_${field.key}`];
    if (raw === undefined || raw.trim() === '') continue;
    const text = raw.trim();
    if (field.type === 'number') values[field.key] = Number.isFinite(Number(text)) ? Number(text) : text;
    else if (field.type === 'boolean') values[field.key] = text === 'on' || text === 'true' || text === 'yes';
    else values[field.key] = text;
  }
  return values;
}
