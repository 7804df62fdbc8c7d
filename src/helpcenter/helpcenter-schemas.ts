import { z } from 'zod';

export const workspaceParams = z.object({ workspace: z.string().min(1).max(100) });
export const slugParams = workspaceParams.extend({ slug: z.string().min(1).max(200) });
export const articleIdParams = workspaceParams.extend({ id: z.uuid() });
const language = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/)
  .optional()
  .catch(undefined);

export const pageQuery = z.object({ lang: language });
// A bad `search` id from an old link must not break the article page: it is simply dropped.
export const articleQuery = pageQuery.extend({
  search: z.uuid().optional().catch(undefined),
  voted: z.string().optional(),
});
export const searchQuery = pageQuery.extend({ q: z.string().max(200).default('') });
export const apiSearchQuery = searchQuery.extend({ typing: z.string().optional() });

export const hitSchema = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  language: z.string(),
  categoryId: z.string().nullable(),
  excerpt: z.string(),
  url: z.string(),
});
export const searchResponse = z.object({ data: z.array(hitSchema), searchId: z.string().nullable() });

const helpful = z.union([z.boolean(), z.enum(['yes', 'no']).transform((v) => v === 'yes')]);
const comment = z.string().max(2000).optional();
/** The no-JS form posts these fields url-encoded; `helpful` arrives as yes/no from the pressed button. */
export const voteForm = z.object({
  articleId: z.uuid(),
  helpful,
  comment,
  searchId: z
    .uuid()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  language: z.string().max(20).optional(),
});
export const voteBody = z.strictObject({ helpful, comment, searchId: z.uuid().optional() });
export const voteResponse = z.object({ id: z.string(), articleId: z.string(), helpful: z.boolean() });

export const brandSchema = z.object({
  name: z.string(),
  logoUrl: z.string().nullable(),
  color: z.string(),
  contactUrl: z.string().nullable(),
  slug: z.string(),
  url: z.string(),
});
export const brandPatch = z.strictObject({
  name: z.string().trim().max(120).optional(),
  logoUrl: z
    .url({ protocol: /^https$/ })
    .max(2000)
    .nullable()
    .optional(),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #2563eb')
    .optional(),
  contactUrl: z
    .url({ protocol: /^(https|mailto)$/ })
    .max(2000)
    .nullable()
    .optional(),
});
