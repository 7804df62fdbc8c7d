import type { Priority, TicketEvent, TicketStatus } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';

export const statuses: TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
export const priorities: Priority[] = ['low', 'normal', 'high', 'urgent'];

/** "12 KB": sizes for attachment lists. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return t('ticket.size.bytes', { n: bytes });
  if (bytes < 1024 * 1024) return t('ticket.size.kb', { n: Math.round(bytes / 1024) });
  return t('ticket.size.mb', { n: (bytes / 1024 / 1024).toFixed(1) });
}

const stamp = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const timeStamp = (iso: string) => stamp.format(new Date(iso));

const isStatus = (value: unknown): value is TicketStatus => statuses.includes(value as TicketStatus);
const isPriority = (value: unknown): value is Priority => priorities.includes(value as Priority);
const pair = (value: unknown): [unknown, unknown] | undefined =>
  Array.isArray(value) && value.length === 2 ? [value[0], value[1]] : undefined;
const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

export type EventLine = { text: string; linkTo?: string };

/**
 * Turns one history entry into short sentences ("Alex set status to Pending"). Returns nothing for
 * entries the timeline already shows another way.
 */
export function describeEvent(
  event: TicketEvent,
  actor: string,
  names: {
    member: (id: string | null) => string | undefined;
    team: (id: string | null) => string | undefined;
    field: (key: string) => string;
  },
): EventLine[] {
  const lines: EventLine[] = [];
  const changes = event.changes;
  // The first message already shows how the ticket began.
  if (event.type === 'ticket.created') return [];
  if (event.type === 'ticket.merged') {
    const into = typeof changes.mergedInto === 'string' ? changes.mergedInto : undefined;
    return [{ text: t('ticket.event.merged', { actor }), ...(into && { linkTo: `/tickets/${into}` }) }];
  }
  if (event.type === 'ticket.linked' || event.type === 'ticket.unlinked') {
    const [before, after] = pair(changes.link) ?? [];
    const other = ((after ?? before) as { ticketId?: unknown } | null)?.ticketId;
    const key = event.type === 'ticket.linked' ? 'ticket.event.linked' : 'ticket.event.unlinked';
    return [{ text: t(key, { actor }), ...(typeof other === 'string' && { linkTo: `/tickets/${other}` }) }];
  }
  if (event.type === 'macro.applied') {
    const macro = (changes.macro ?? {}) as { name?: unknown };
    return [{ text: t('ticket.event.macro', { actor, value: String(macro.name ?? '') }) }];
  }
  if (event.type === 'trigger.fired') {
    const fired = Array.isArray(changes.triggers) ? (changes.triggers as { name?: unknown }[]) : [];
    return [
      { text: t('ticket.event.triggers', { value: fired.map((rule) => String(rule.name)).join(', ') }) },
    ];
  }
  if (event.type !== 'ticket.updated')
    return [{ text: t('ticket.event.other', { actor, type: event.type }) }];

  if (typeof changes.mergedFrom === 'string')
    lines.push({ text: t('ticket.event.mergedFrom', { actor }), linkTo: `/tickets/${changes.mergedFrom}` });
  const status = pair(changes.status);
  if (status && isStatus(status[1]))
    lines.push({ text: t('ticket.event.status', { actor, value: t(`status.${status[1]}`) }) });
  const priority = pair(changes.priority);
  if (priority && isPriority(priority[1]))
    lines.push({ text: t('ticket.event.priority', { actor, value: t(`priority.${priority[1]}`) }) });
  const assignee = pair(changes.assigneeId);
  if (assignee) {
    const to = typeof assignee[1] === 'string' ? assignee[1] : null;
    lines.push({
      text: to
        ? t('ticket.event.assigned', { actor, value: names.member(to) ?? t('ticket.someone') })
        : t('ticket.event.unassigned', { actor }),
    });
  }
  const team = pair(changes.teamId);
  if (team) {
    const to = typeof team[1] === 'string' ? team[1] : null;
    lines.push({
      text: to
        ? t('ticket.event.team', { actor, value: names.team(to) ?? '…' })
        : t('ticket.event.noTeam', { actor }),
    });
  }
  const tags = pair(changes.tags);
  if (tags && typeof changes.mergedFrom !== 'string') {
    const before = list(tags[0]);
    const after = list(tags[1]);
    const added = after.filter((tag) => !before.includes(tag));
    const removed = before.filter((tag) => !after.includes(tag));
    if (added.length) lines.push({ text: t('ticket.event.tagsAdded', { actor, value: added.join(', ') }) });
    if (removed.length)
      lines.push({ text: t('ticket.event.tagsRemoved', { actor, value: removed.join(', ') }) });
  }
  const subject = pair(changes.subject);
  if (subject) lines.push({ text: t('ticket.event.subject', { actor, value: String(subject[1]) }) });
  const fields = pair(changes.customFields);
  if (fields) {
    const before = (fields[0] ?? {}) as Record<string, unknown>;
    const after = (fields[1] ?? {}) as Record<string, unknown>;
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
      const value = after[key];
      const field = names.field(key);
      lines.push({
        text:
          value === undefined || value === null
            ? t('ticket.event.fieldCleared', { actor, field })
            : t('ticket.event.field', { actor, field, value: String(value) }),
      });
    }
  }
  return lines;
}
