import { z } from 'zod';
import { kbArticleStatuses } from '../db/schema/index.ts';
import { type Actor, roleAtLeast } from '../platform/auth/actor.ts';
import type { KbCategory } from './kb-category-service.ts';
import type { KbSynonym } from './kb-feedback-service.ts';
import type { KbArticle, KbArticleVersion } from './kb-service.ts';

const isoOrNull = (date: Date | null) => date?.toISOString() ?? null;
const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case words and dashes')
  .max(80);
const language = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'a language tag like en or pt-BR');
const day = z.iso.date();

export const articleBody = z.strictObject({
  title: z.string().trim().min(1).max(300),
  body: z.string().max(200_000).default(''),
  slug: slug.optional(),
  categoryId: z.uuid().nullable().optional(),
  internal: z.boolean().optional(),
  language: language.optional(),
  tags: z.array(z.string().max(50)).max(30).optional(),
  reviewBy: day.nullable().optional(),
  status: z.enum(['draft', 'published']).optional(),
  translationOf: z.uuid().optional(),
});
export const articlePatch = articleBody
  .omit({ status: true, translationOf: true, language: true })
  .partial()
  .strict();
export const articleFilter = z.strictObject({
  status: z.enum(kbArticleStatuses).optional(),
  categoryId: z.uuid().optional(),
  language: language.optional(),
  tag: z.string().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const reviewBody = z.strictObject({ reviewBy: day.nullable() });
export const versionParams = z.strictObject({ id: z.uuid(), version: z.coerce.number().int().min(1) });

export const articleSchema = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  body: z.string(),
  bodyHtml: z.string(),
  status: z.enum(kbArticleStatuses),
  internal: z.boolean(),
  language: z.string(),
  translationGroupId: z.string(),
  categoryId: z.string().nullable(),
  tags: z.array(z.string()),
  authorId: z.string().nullable(),
  reviewerId: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewBy: z.string().nullable(),
  version: z.number(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  permissions: z.object({ update: z.boolean(), publish: z.boolean(), delete: z.boolean() }),
});

/** What the caller may do with an article, mirroring the service's checks, so the console hides the rest. */
export const articlePermissions = (actor: Actor) => {
  const writer = roleAtLeast(actor.role, 'agent');
  return { update: writer, publish: writer, delete: actor.role === 'admin' };
};

export const presentArticle = (row: KbArticle, actor: Actor): z.infer<typeof articleSchema> => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  body: row.body,
  bodyHtml: row.bodyHtml,
  status: row.status,
  internal: row.internal,
  language: row.language,
  translationGroupId: row.translationGroupId,
  categoryId: row.categoryId,
  tags: row.tags,
  authorId: row.authorId,
  reviewerId: row.reviewerId,
  reviewedAt: isoOrNull(row.reviewedAt),
  reviewBy: row.reviewBy,
  version: row.version,
  publishedAt: isoOrNull(row.publishedAt),
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  permissions: articlePermissions(actor),
});

export const versionSchema = z.object({
  version: z.number(),
  title: z.string(),
  body: z.string(),
  editorId: z.string().nullable(),
  createdAt: z.string(),
});
export const presentVersion = (row: KbArticleVersion) => ({
  version: row.version,
  title: row.title,
  body: row.body,
  editorId: row.editorId,
  createdAt: row.createdAt.toISOString(),
});

export const categoryBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  slug: slug.optional(),
  description: z.string().max(1000).optional(),
  parentId: z.uuid().nullable().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export const categoryPatch = categoryBody.partial().strict();
export const categorySchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  description: z.string(),
  parentId: z.string().nullable(),
  position: z.number(),
});
export const presentCategory = (row: KbCategory) => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  description: row.description,
  parentId: row.parentId,
  position: row.position,
});

export const synonymBody = z.strictObject({
  terms: z.array(z.string().trim().min(1).max(100)).min(2).max(20),
});
export const synonymSchema = z.object({ id: z.string(), terms: z.array(z.string()) });
export const presentSynonym = (row: KbSynonym) => ({ id: row.id, terms: row.terms });

export const searchQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  language: language.optional(),
  categoryId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  /** Set by search-as-you-type: the keystroke is not logged for analytics. */
  typing: z.enum(['1', 'true']).optional(),
});
export const hitSchema = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  language: z.string(),
  categoryId: z.string().nullable(),
  internal: z.boolean(),
  status: z.enum(kbArticleStatuses),
  excerpt: z.string(),
  score: z.number(),
  updatedAt: z.string(),
});

export const analyticsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(365).default(30),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const queryStatSchema = z.object({
  query: z.string(),
  searches: z.number(),
  clicks: z.number(),
  averageResults: z.number(),
});
export const unhelpfulSchema = z.object({
  id: z.string(),
  title: z.string(),
  slug: z.string(),
  language: z.string(),
  votes: z.number(),
  comments: z.number(),
});
