import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { noResultQueries, topQueries, unhelpfulArticles } from './kb-analytics.ts';
import { createCategory, deleteCategory, listCategories, updateCategory } from './kb-category-service.ts';
import { createSynonym, deleteSynonym, listSynonyms } from './kb-feedback-service.ts';
import {
  analyticsQuery,
  categoryBody,
  categoryPatch,
  categorySchema,
  hitSchema,
  presentCategory,
  presentSynonym,
  queryStatSchema,
  searchQuery,
  synonymBody,
  synonymSchema,
  unhelpfulSchema,
} from './kb-schemas.ts';
import { searchArticles } from './kb-search.ts';

const tags = ['knowledge base'];
const admin = { minRole: 'admin' as const };
const DAY_MS = 86_400_000;

/** Categories, synonyms, the agents' search and search analytics of the knowledge base. */
export function registerKbCatalogRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/api/v1/kb/categories',
    {
      schema: {
        tags,
        description: 'Categories and sections (a section has a parentId) by position.',
        response: { 200: z.object({ data: z.array(categorySchema) }) },
      },
    },
    async (request) => ({
      data: (await listCategories(db, actorOf(request).workspaceId)).map(presentCategory),
    }),
  );

  app.post(
    '/api/v1/kb/categories',
    { config: admin, schema: { tags, body: categoryBody, response: { 201: categorySchema } } },
    async (request, reply) =>
      reply.status(201).send(presentCategory(await createCategory(db, actorOf(request), request.body))),
  );

  app.patch(
    '/api/v1/kb/categories/:id',
    {
      config: admin,
      schema: { tags, params: idParams, body: categoryPatch, response: { 200: categorySchema } },
    },
    async (request) =>
      presentCategory(await updateCategory(db, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/kb/categories/:id',
    {
      config: admin,
      schema: {
        tags,
        description: 'Its sections go with it; its articles stay, without a category.',
        params: idParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await deleteCategory(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/kb/synonyms',
    { schema: { tags, response: { 200: z.object({ data: z.array(synonymSchema) }) } } },
    async (request) => ({ data: (await listSynonyms(db, actorOf(request).workspaceId)).map(presentSynonym) }),
  );

  app.post(
    '/api/v1/kb/synonyms',
    {
      config: admin,
      schema: {
        tags,
        description: 'A group of words or phrases search treats as one ("refund", "money back").',
        body: synonymBody,
        response: { 201: synonymSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentSynonym(await createSynonym(db, actorOf(request), request.body))),
  );

  app.delete(
    '/api/v1/kb/synonyms/:id',
    { config: admin, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteSynonym(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/kb/search',
    {
      schema: {
        tags,
        description:
          'The same search as the help center and the answer bot, over drafts and internal articles too (never archived).',
        querystring: searchQuery,
        response: { 200: z.object({ data: z.array(hitSchema), searchId: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { q, typing, ...rest } = request.query;
      const { hits, searchId } = await searchArticles(db, {
        workspaceId: actorOf(request).workspaceId,
        audience: 'agents',
        query: q,
        source: 'console',
        log: typing === undefined,
        ...rest,
      });
      return { data: hits.map((h) => ({ ...h, updatedAt: h.updatedAt.toISOString() })), searchId };
    },
  );

  const windowOf = (query: { days: number; limit: number }) => ({
    since: new Date(clock.now().getTime() - query.days * DAY_MS),
    limit: query.limit,
  });
  const stats = z.object({ data: z.array(queryStatSchema) });

  app.get(
    '/api/v1/kb/analytics/top-queries',
    {
      schema: {
        tags,
        description: 'The most frequent searches of the last `days` days, from every source.',
        querystring: analyticsQuery,
        response: { 200: stats },
      },
    },
    async (request) => ({ data: await topQueries(db, actorOf(request), windowOf(request.query)) }),
  );

  app.get(
    '/api/v1/kb/analytics/no-result-queries',
    {
      schema: {
        tags,
        description: 'Searches that found nothing (content gaps), most frequent first.',
        querystring: analyticsQuery,
        response: { 200: stats },
      },
    },
    async (request) => ({ data: await noResultQueries(db, actorOf(request), windowOf(request.query)) }),
  );

  app.get(
    '/api/v1/kb/analytics/unhelpful-articles',
    {
      schema: {
        tags,
        description: 'Articles voted on in the window whose every vote was "not helpful".',
        querystring: analyticsQuery,
        response: { 200: z.object({ data: z.array(unhelpfulSchema) }) },
      },
    },
    async (request) => ({ data: await unhelpfulArticles(db, actorOf(request), windowOf(request.query)) }),
  );
}
