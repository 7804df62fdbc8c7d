import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceRef } from './columns.ts';
import { customers } from './customers.ts';
import { teams } from './teams.ts';
import { tickets } from './tickets.ts';
import { users } from './users.ts';
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
  /** Customer tiers (`vip`): a customer with any of them. */
  tiers?: string[];
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

export type TriggerCondition = {
  field: string;
  op: string;
  value?: string | undefined;
  key?: string | undefined;
};
export type TriggerConditions = { all?: TriggerCondition[]; any?: TriggerCondition[] };
/** One action of a trigger or macro; which keys it has depends on `type` (see trigger-rules.ts). */
export type TriggerAction = {
  type: string;
  value?: string | null | undefined;
  key?: string | undefined;
  tags?: string[] | undefined;
  teamId?: string | null | undefined;
  strategy?: string | undefined;
  skills?: string[] | undefined;
  body?: string | undefined;
  cannedId?: string | undefined;
  userIds?: string[] | undefined;
  webhookId?: string | undefined;
};

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

/**
 * Times a time-based trigger acted on a ticket: it acts again only once the ticket changed after that,
 * so "pending for 3 days" notifies once, not every hour.
 */
export const triggerTimeFirings = pgTable(
  'trigger_time_firings',
  {
    triggerId: uuid('trigger_id')
      .notNull()
      .references(() => triggers.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    firedAt: at('fired_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.triggerId, t.ticketId] }),
    index('trigger_time_firings_ticket_idx').on(t.ticketId),
    index('trigger_time_firings_workspace_idx').on(t.workspaceId),
  ],
);

export const agentStatuses = ['online', 'away', 'offline'] as const;
export const agentStatusEnum = pgEnum('agent_status', agentStatuses);

/** How routing sees an agent; an agent without a row is online, unlimited and without skills. */
export const agentProfiles = pgTable(
  'agent_profiles',
  {
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // Only online agents get new tickets from routing; away and offline keep the ones they hold.
    status: agentStatusEnum('status').notNull().default('online'),
    // Open tickets the agent may hold at once; null means no limit.
    capacity: integer('capacity'),
    // Tags and language codes the agent handles, matched by skills-based routing.
    skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
    lastAssignedAt: at('last_assigned_at'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index('agent_profiles_user_idx').on(t.userId)],
);

/** A named bundle of trigger actions an agent applies to a ticket in one click. */
export const macros = pgTable(
  'macros',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    actions: jsonb('actions').$type<TriggerAction[]>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('macros_workspace_name_idx').on(t.workspaceId, t.name)],
);

export const followUpKinds = ['reminder', 'message', 'check_in', 'pending_reminder', 'auto_solve'] as const;
export const followUpKindEnum = pgEnum('follow_up_kind', followUpKinds);

/**
 * Something to do on a ticket later, fired by a durable job: remind its agent, write to the customer,
 * check in after a solve, remind a pending customer, or solve a ticket the customer left pending.
 */
export const followUps = pgTable(
  'follow_ups',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    kind: followUpKindEnum('kind').notNull(),
    body: text('body').notNull().default(''),
    dueAt: at('due_at').notNull(),
    firedAt: at('fired_at'),
    cancelledAt: at('cancelled_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('follow_ups_ticket_idx').on(t.ticketId),
    index('follow_ups_workspace_due_idx').on(t.workspaceId, t.dueAt),
    index('follow_ups_user_idx').on(t.createdByUserId),
  ],
);

/** Per-workspace follow-up rules; a null number of days switches that rule off. */
export const automationSettings = pgTable('automation_settings', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  checkInDays: integer('check_in_days'),
  checkInBody: text('check_in_body').notNull().default(''),
  pendingReminderDays: integer('pending_reminder_days'),
  pendingReminderBody: text('pending_reminder_body').notNull().default(''),
  pendingSolveDays: integer('pending_solve_days'),
  updatedAt: updatedAt(),
});

/**
 * When a recurring ticket opens: a wall-clock time (HH:MM) in an IANA zone, daily, on chosen weekdays
 * (0 is Sunday, as in business schedules) or on a day of the month (past the month's end means its
 * last day).
 */
export type RecurrenceRule =
  | { frequency: 'daily'; time: string; timeZone: string }
  | { frequency: 'weekly'; weekdays: number[]; time: string; timeZone: string }
  | { frequency: 'monthly'; dayOfMonth: number | 'last'; time: string; timeZone: string };
export type RecurringTemplate = {
  subject: string;
  body: string;
  priority?: 'low' | 'normal' | 'high' | 'urgent' | undefined;
  tags?: string[] | undefined;
  customFields?: Record<string, unknown> | undefined;
};

/** A ticket that opens itself on a calendar rule (every Monday, the first of each month). */
export const recurringTickets = pgTable(
  'recurring_tickets',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    rule: jsonb('rule').$type<RecurrenceRule>().notNull(),
    template: jsonb('template').$type<RecurringTemplate>().notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    active: boolean('active').notNull().default(true),
    nextRunAt: at('next_run_at').notNull(),
    lastRunAt: at('last_run_at'),
    // Why the last occurrence opened no ticket (a field made required since); cleared by the next one opened.
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('recurring_tickets_workspace_idx').on(t.workspaceId),
    index('recurring_tickets_due_idx').on(t.nextRunAt).where(sql`${t.active}`),
    index('recurring_tickets_assignee_idx').on(t.assigneeId),
    index('recurring_tickets_customer_idx').on(t.customerId),
    index('recurring_tickets_team_idx').on(t.teamId),
  ],
);
