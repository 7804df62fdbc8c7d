import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceRef } from './columns.ts';
import { tickets } from './tickets.ts';
import { users } from './users.ts';
import { workspaces } from './workspaces.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** A workspace's own role-play scenario (the built-ins live in code); `definition` is a validated Scenario. */
export const trainingScenarios = pgTable(
  'training_scenarios',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    /** 'ticket' when drafted from a solved ticket (personal data removed). */
    origin: text('origin').$type<'custom' | 'ticket'>().notNull().default('custom'),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('training_scenarios_workspace_key_idx').on(t.workspaceId, t.key)],
);

/** A lead asks an agent to practise a scenario; done once the agent finishes a session on it. */
export const trainingAssignments = pgTable(
  'training_assignments',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    scenarioKey: text('scenario_key').notNull(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    assignedByUserId: uuid('assigned_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    note: text('note').notNull().default(''),
    dueAt: at('due_at'),
    completedSessionId: uuid('completed_session_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('training_assignments_agent_idx').on(t.workspaceId, t.agentId, t.createdAt),
    index('training_assignments_assigned_by_idx').on(t.assignedByUserId),
  ],
);

/** One role-play run: a snapshot of the scenario, the engine's state and the transcript; never a ticket. */
export const trainingSessions = pgTable(
  'training_sessions',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    scenarioKey: text('scenario_key').notNull(),
    scenario: jsonb('scenario').$type<Record<string, unknown>>().notNull(),
    seed: integer('seed').notNull(),
    status: text('status').$type<'active' | 'passed' | 'failed'>().notNull().default('active'),
    engine: jsonb('engine').$type<Record<string, unknown>>().notNull(),
    transcript: jsonb('transcript').$type<Record<string, unknown>[]>().notNull().default([]),
    scorecard: jsonb('scorecard').$type<Record<string, unknown>>(),
    score: integer('score'),
    assignmentId: uuid('assignment_id').references(() => trainingAssignments.id, { onDelete: 'set null' }),
    startedAt: at('started_at').notNull(),
    finishedAt: at('finished_at'),
  },
  (t) => [
    index('training_sessions_agent_idx').on(t.workspaceId, t.agentId, t.startedAt),
    index('training_sessions_assignment_idx').on(t.assignmentId),
  ],
);

/** A lead's feedback on a session. */
export const trainingComments = pgTable(
  'training_comments',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => trainingSessions.id, { onDelete: 'cascade' }),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('training_comments_session_idx').on(t.sessionId, t.createdAt),
    index('training_comments_workspace_idx').on(t.workspaceId),
    index('training_comments_author_idx').on(t.authorUserId),
  ],
);

/** A QA rubric: weighted criteria, each scored 0..max by a reviewer or pre-scored from a signal. */
export const qaRubrics = pgTable(
  'qa_rubrics',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    criteria: jsonb('criteria').$type<Record<string, unknown>[]>().notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('qa_rubrics_workspace_name_idx').on(t.workspaceId, t.name)],
);

/** One review of a solved ticket on a rubric: by a reviewer, or automatic (`reviewerId` null). */
export const qaReviews = pgTable(
  'qa_reviews',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    rubricId: uuid('rubric_id')
      .notNull()
      .references(() => qaRubrics.id, { onDelete: 'cascade' }),
    reviewerId: uuid('reviewer_id').references(() => users.id, { onDelete: 'set null' }),
    agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
    scores: jsonb('scores').$type<Record<string, number>>().notNull(),
    total: real('total').notNull(),
    comment: text('comment').notNull().default(''),
    automatic: boolean('automatic').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('qa_reviews_ticket_rubric_reviewer_idx').on(t.ticketId, t.rubricId, t.reviewerId),
    // One suggestion per ticket and rubric; reviewer rows have their own key above.
    uniqueIndex('qa_reviews_automatic_idx').on(t.ticketId, t.rubricId).where(sql`automatic`),
    index('qa_reviews_rubric_idx').on(t.rubricId),
    index('qa_reviews_reviewer_idx').on(t.reviewerId),
    index('qa_reviews_agent_idx').on(t.workspaceId, t.agentId, t.createdAt),
  ],
);
