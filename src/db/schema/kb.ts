import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tsvector, updatedAt, workspaceRef } from './columns.ts';
import { tickets } from './tickets.ts';
import { users } from './users.ts';
import { workspaces } from './workspaces.ts';

export const kbArticleStatuses = ['draft', 'published', 'archived'] as const;
export type KbArticleStatus = (typeof kbArticleStatuses)[number];
export const kbBotOutcomes = ['pending', 'accepted', 'rejected', 'silent'] as const;
export type KbBotOutcome = (typeof kbBotOutcomes)[number];

/** Help-center categories; a category with a parent is a section inside it. */
export const kbCategories = pgTable(
  'kb_categories',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id').references((): AnyPgColumn => kbCategories.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('kb_categories_workspace_slug_idx').on(t.workspaceId, t.slug),
    index('kb_categories_parent_idx').on(t.parentId),
  ],
);

/** One language variant of an article; variants of one article share `translationGroupId`. */
export const kbArticles = pgTable(
  'kb_articles',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    categoryId: uuid('category_id').references(() => kbCategories.id, { onDelete: 'set null' }),
    slug: text('slug').notNull(),
    status: text('status').$type<KbArticleStatus>().notNull().default('draft'),
    // Internal articles are for agents (console, bot hints to agents), never the public help center.
    internal: boolean('internal').notNull().default(false),
    language: text('language').notNull().default('en'),
    translationGroupId: uuid('translation_group_id').notNull().defaultRandom(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    reviewerId: uuid('reviewer_id').references(() => users.id, { onDelete: 'set null' }),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true, precision: 3 }),
    reviewBy: date('review_by', { mode: 'string' }),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    bodyHtml: text('body_html').notNull().default(''),
    // Plain text of the rendered body: what search indexes and excerpts quote.
    bodyText: text('body_text').notNull().default(''),
    version: integer('version').notNull().default(1),
    publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // Title outranks body: weight A for the title, D for the body.
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(body_text, '')), 'D')`,
    ),
  },
  (t) => [
    uniqueIndex('kb_articles_workspace_language_slug_idx').on(t.workspaceId, t.language, t.slug),
    uniqueIndex('kb_articles_group_language_idx').on(t.translationGroupId, t.language),
    index('kb_articles_workspace_status_idx').on(t.workspaceId, t.status, t.updatedAt),
    index('kb_articles_category_idx').on(t.categoryId),
    index('kb_articles_author_idx').on(t.authorId),
    index('kb_articles_reviewer_idx').on(t.reviewerId),
    index('kb_articles_review_by_idx').on(t.workspaceId, t.reviewBy),
    // No pending list (fastupdate off): articles change rarely, and a search scanning a long unmerged list
    // after a bulk import made the planner fall back to reading every article's index.
    index('kb_articles_search_idx').using('gin', t.search).with({ fastupdate: false }),
    index('kb_articles_title_trgm_idx')
      .using('gin', sql`${t.title} gin_trgm_ops`)
      .with({ fastupdate: false }),
    check('kb_articles_status_check', sql`${t.status} IN ('draft', 'published', 'archived')`),
  ],
);

/** Every saved state of an article, newest highest; a restore writes a new version. */
export const kbArticleVersions = pgTable(
  'kb_article_versions',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    articleId: uuid('article_id')
      .notNull()
      .references(() => kbArticles.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    editorId: uuid('editor_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('kb_article_versions_article_version_idx').on(t.articleId, t.version),
    index('kb_article_versions_workspace_idx').on(t.workspaceId),
    index('kb_article_versions_editor_idx').on(t.editorId),
  ],
);

/** A group of words search treats as one ("refund", "money back"). */
export const kbSynonyms = pgTable(
  'kb_synonyms',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    terms: text('terms').array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('kb_synonyms_workspace_idx').on(t.workspaceId)],
);

/** One search as typed, for analytics (top queries, content gaps). */
export const kbSearchLog = pgTable(
  'kb_search_log',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    query: text('query').notNull(),
    // Lower-cased and whitespace-collapsed, so analytics group "Refund " with "refund".
    normalizedQuery: text('normalized_query').notNull(),
    source: text('source').notNull(),
    resultsCount: integer('results_count').notNull(),
    clickedArticleId: uuid('clicked_article_id').references(() => kbArticles.id, { onDelete: 'set null' }),
    helpful: boolean('helpful'),
    createdAt: createdAt(),
  },
  (t) => [
    index('kb_search_log_workspace_idx').on(t.workspaceId, t.createdAt),
    index('kb_search_log_clicked_idx').on(t.clickedArticleId),
  ],
);

/** "Was this helpful?" answers, with an optional comment. */
export const kbArticleVotes = pgTable(
  'kb_article_votes',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    articleId: uuid('article_id')
      .notNull()
      .references(() => kbArticles.id, { onDelete: 'cascade' }),
    helpful: boolean('helpful').notNull(),
    comment: text('comment'),
    searchLogId: uuid('search_log_id').references(() => kbSearchLog.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('kb_article_votes_article_idx').on(t.articleId, t.helpful),
    index('kb_article_votes_workspace_idx').on(t.workspaceId, t.createdAt),
    index('kb_article_votes_search_log_idx').on(t.searchLogId),
  ],
);

/** One answer-bot attempt at a question; its outcome feeds the deflection rate. */
export const kbBotAttempts = pgTable(
  'kb_bot_attempts',
  {
    id: id(),
    workspaceId: workspaceRef().references(() => workspaces.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    channel: text('channel').notNull(),
    question: text('question').notNull(),
    articleIds: uuid('article_ids').array().notNull().default(sql`'{}'::uuid[]`),
    confidence: real('confidence').notNull(),
    // False when the confidence was under the threshold and the bot stayed quiet.
    offered: boolean('offered').notNull(),
    outcome: text('outcome').$type<KbBotOutcome>().notNull().default('pending'),
    acceptedArticleId: uuid('accepted_article_id').references(() => kbArticles.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index('kb_bot_attempts_workspace_idx').on(t.workspaceId, t.createdAt),
    index('kb_bot_attempts_ticket_idx').on(t.ticketId),
    index('kb_bot_attempts_accepted_idx').on(t.acceptedArticleId),
    check(
      'kb_bot_attempts_outcome_check',
      sql`${t.outcome} IN ('pending', 'accepted', 'rejected', 'silent')`,
    ),
  ],
);
