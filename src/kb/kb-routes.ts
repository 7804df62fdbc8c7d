import { z } from 'zod';
import type { KbArticleStatus } from '../db/schema/index.ts';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { registerKbCatalogRoutes } from './kb-catalog-routes.ts';
import { renderMarkdown } from './kb-markdown.ts';
import {
  articleBody,
  articleFilter,
  articlePatch,
  articleSchema,
  presentArticle,
  presentVersion,
  reviewBody,
  versionParams,
  versionSchema,
} from './kb-schemas.ts';
import {
  agentReader,
  createArticle,
  deleteArticle,
  getArticle,
  listArticles,
  listStaleArticles,
  listTranslations,
  listVersions,
  markReviewed,
  restoreVersion,
  setArticleStatus,
  updateArticle,
} from './kb-service.ts';

const tags = ['knowledge base'];
const list = z.object({ data: z.array(articleSchema) });

/** The agents' knowledge-base API: articles here, categories, synonyms, search and analytics beside it. */
export function registerKbRoutes(app: App, deps: Deps) {
  const { db } = deps;

  app.get(
    '/api/v1/kb/articles',
    {
      schema: {
        tags,
        description:
          'Every article of the workspace, drafts and internal ones included, newest change first.',
        querystring: articleFilter,
        response: { 200: list },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const rows = await listArticles(db, agentReader(actor), request.query);
      return { data: rows.map((row) => presentArticle(row, actor)) };
    },
  );

  app.post(
    '/api/v1/kb/articles',
    {
      schema: {
        tags,
        description:
          'Markdown body, rendered and sanitised. `translationOf` makes it a language variant of another article.',
        body: articleBody,
        response: { 201: articleSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return reply.status(201).send(presentArticle(await createArticle(db, actor, request.body), actor));
    },
  );

  app.post(
    '/api/v1/kb/preview',
    {
      config: { rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: {
        tags,
        description:
          "The editor's live preview: Markdown rendered and sanitised exactly as a saved article is.",
        body: z.strictObject({ body: z.string().max(200_000) }),
        response: { 200: z.object({ html: z.string() }) },
      },
    },
    async (request) => ({ html: renderMarkdown(request.body.body).html }),
  );

  app.get(
    '/api/v1/kb/articles/stale',
    {
      schema: {
        tags,
        description: 'Articles not archived whose "review by" date has passed, oldest first.',
        response: { 200: list },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = deps.clock.now().toISOString().slice(0, 10);
      return {
        data: (await listStaleArticles(db, actor, { asOf })).map((row) => presentArticle(row, actor)),
      };
    },
  );

  app.get(
    '/api/v1/kb/articles/:id',
    { schema: { tags, params: idParams, response: { 200: articleSchema } } },
    async (request) => {
      const actor = actorOf(request);
      return presentArticle(await getArticle(db, agentReader(actor), request.params.id), actor);
    },
  );

  app.patch(
    '/api/v1/kb/articles/:id',
    {
      schema: {
        tags,
        description: 'A new title or body becomes the next version.',
        params: idParams,
        body: articlePatch,
        response: { 200: articleSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return presentArticle(await updateArticle(db, actor, request.params.id, request.body), actor);
    },
  );

  app.delete(
    '/api/v1/kb/articles/:id',
    { config: { minRole: 'admin' }, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteArticle(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  const transitions: Array<[string, KbArticleStatus, string]> = [
    ['publish', 'published', 'Shows the article in the help center (unless it is internal).'],
    ['archive', 'archived', 'Takes the article out of the help center and search; it stays in history.'],
    ['unpublish', 'draft', 'Back to draft: out of the help center until published again.'],
  ];
  for (const [action, status, description] of transitions) {
    app.post(
      `/api/v1/kb/articles/:id/${action}`,
      { schema: { tags, description, params: idParams, response: { 200: articleSchema } } },
      async (request) => {
        const actor = actorOf(request);
        return presentArticle(await setArticleStatus(db, actor, request.params.id, status), actor);
      },
    );
  }

  app.post(
    '/api/v1/kb/articles/:id/review',
    {
      schema: {
        tags,
        description: 'Marks the article checked by the caller; `reviewBy` is when it next counts as stale.',
        params: idParams,
        body: reviewBody,
        response: { 200: articleSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return presentArticle(await markReviewed(db, actor, request.params.id, request.body), actor);
    },
  );

  app.get(
    '/api/v1/kb/articles/:id/translations',
    { schema: { tags, params: idParams, response: { 200: list } } },
    async (request) => {
      const actor = actorOf(request);
      const rows = await listTranslations(db, agentReader(actor), request.params.id);
      return { data: rows.map((row) => presentArticle(row, actor)) };
    },
  );

  app.get(
    '/api/v1/kb/articles/:id/versions',
    {
      schema: {
        tags,
        description: 'Saved versions, newest first.',
        params: idParams,
        response: { 200: z.object({ data: z.array(versionSchema) }) },
      },
    },
    async (request) => ({
      data: (await listVersions(db, actorOf(request), request.params.id)).map(presentVersion),
    }),
  );

  app.post(
    '/api/v1/kb/articles/:id/versions/:version/restore',
    {
      schema: {
        tags,
        description: "Puts that version's title and body back as a new version; history is kept.",
        params: versionParams,
        response: { 200: articleSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const row = await restoreVersion(db, actor, request.params.id, request.params.version);
      return presentArticle(row, actor);
    },
  );

  registerKbCatalogRoutes(app, deps);
}
