import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceRef } from './columns.ts';
import { tickets } from './tickets.ts';
import { workspaces } from './workspaces.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** A weekly calendar of business hours in one time zone, with holidays (local dates, YYYY-MM-DD). */
export const businessSchedules = pgTable(
  'business_schedules',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull(),
    hours: jsonb('hours').$type<{ day: number; start: string; end: string }[]>().notNull(),
    holidays: text('holidays').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('business_schedules_workspace_idx').on(t.workspaceId)],
);

export type SlaConditions = {
  priorities?: string[];
  channels?: string[];
  teamIds?: string[];
  tags?: string[];
};

/** Targets in business minutes for the tickets its conditions match; the first active match by position wins. */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    // No schedule means the clock runs around the clock.
    scheduleId: uuid('schedule_id').references(() => businessSchedules.id, { onDelete: 'restrict' }),
    conditions: jsonb('conditions').$type<SlaConditions>().notNull().default({}),
    firstReplyMinutes: integer('first_reply_minutes'),
    nextReplyMinutes: integer('next_reply_minutes'),
    resolutionMinutes: integer('resolution_minutes'),
    warnMinutes: integer('warn_minutes').notNull().default(30),
    pauseWhilePending: boolean('pause_while_pending').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('sla_policies_workspace_idx').on(t.workspaceId, t.position),
    index('sla_policies_schedule_idx').on(t.scheduleId),
  ],
);

export const slaMetricEnum = pgEnum('sla_metric', ['first_reply', 'next_reply', 'resolution']);

/**
 * One running or finished SLA clock of a ticket. While it runs, due_at is when it breaches; paused,
 * elapsed_seconds holds the business time already used and due_at is null.
 */
export const ticketSlas = pgTable(
  'ticket_slas',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    policyId: uuid('policy_id').references(() => slaPolicies.id, { onDelete: 'set null' }),
    metric: slaMetricEnum('metric').notNull(),
    targetMinutes: integer('target_minutes').notNull(),
    startedAt: at('started_at').notNull(),
    elapsedSeconds: integer('elapsed_seconds').notNull().default(0),
    runningSince: at('running_since'),
    dueAt: at('due_at'),
    warnedAt: at('warned_at'),
    breachedAt: at('breached_at'),
    completedAt: at('completed_at'),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('ticket_slas_ticket_metric_idx').on(t.ticketId, t.metric),
    index('ticket_slas_due_idx').on(t.workspaceId, t.dueAt).where(sql`${t.completedAt} IS NULL`),
    index('ticket_slas_policy_idx').on(t.policyId),
  ],
);

export type TriggerCondition = { field: string; op: string; value?: string | undefined };
export type TriggerConditions = { all?: TriggerCondition[]; any?: TriggerCondition[] };
export type TriggerAction = { type: string; value?: string | null | undefined; tags?: string[] | undefined };

/** Event → conditions → actions, evaluated in position order; each fires at most once per chain of events. */
export const triggers = pgTable(
  'triggers',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    events: text('events').array().notNull(),
    conditions: jsonb('conditions').$type<TriggerConditions>().notNull().default({}),
    actions: jsonb('actions').$type<TriggerAction[]>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('triggers_workspace_idx').on(t.workspaceId, t.position)],
);

/**
 * Domain events that triggers' own changes produced, with the triggers that already fired on the way:
 * those never fire again on them, so a chain of trigger changes always ends.
 */
export const triggerCausedEvents = pgTable(
  'trigger_caused_events',
  {
    eventId: bigint('event_id', { mode: 'number' }).primaryKey(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    triggerIds: uuid('trigger_ids').array().notNull(),
    depth: integer('depth').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('trigger_caused_events_workspace_idx').on(t.workspaceId, t.createdAt)],
);
