import { recordVote } from '../kb/kb-feedback-service.ts';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { helpUrls } from './helpcenter-pages.ts';
import {
  apiSearchQuery,
  articleIdParams,
  brandPatch,
  brandSchema,
  searchResponse,
  voteBody,
  voteResponse,
  workspaceParams,
} from './helpcenter-schemas.ts';
import {
  getHelpBrand,
  helpWorkspace,
  publicReader,
  publicSearch,
  updateHelpBrand,
} from './helpcenter-service.ts';

const tags = ['help center'];
// Search-as-you-type sends a request every few keystrokes.
const searchLimit = { max: 240, timeWindow: '1 minute' };
const voteLimit = { max: 20, timeWindow: '1 minute' };

/** The help center's JSON side: public search and votes, and the admin's brand settings. */
export function registerHelpCenterApiRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/help/:workspace/search',
    {
      config: { public: true, rateLimit: searchLimit },
      schema: {
        tags,
        description:
          'Public search of published, non-internal articles. `typing=1` marks a keystroke search, which is not logged for analytics.',
        params: workspaceParams,
        querystring: apiSearchQuery,
        response: { 200: searchResponse },
      },
    },
    async (request, reply) => {
      const workspace = await helpWorkspace(db, request.params.workspace);
      const urls = helpUrls('', workspace.slug);
      const { hits, searchId } = await publicSearch(db, workspace.id, {
        query: request.query.q,
        language: request.query.lang,
        limit: 10,
        log: request.query.typing === undefined,
      });
      reply.header('cache-control', 'no-store');
      return {
        data: hits.map((h) => ({
          id: h.id,
          slug: h.slug,
          title: h.title,
          language: h.language,
          categoryId: h.categoryId,
          excerpt: h.excerpt,
          url: urls.article(h.slug, h.language),
        })),
        searchId,
      };
    },
  );

  app.post(
    '/api/v1/help/:workspace/articles/:id/votes',
    {
      config: { public: true, rateLimit: voteLimit },
      schema: {
        tags,
        description: '"Was this helpful?" on a public article, with an optional comment.',
        params: articleIdParams,
        body: voteBody,
        response: { 201: voteResponse },
      },
    },
    async (request, reply) => {
      const workspace = await helpWorkspace(db, request.params.workspace);
      const vote = await recordVote(db, publicReader(workspace.id), {
        articleId: request.params.id,
        helpful: request.body.helpful,
        comment: request.body.comment ?? null,
        ...(request.body.searchId && { searchId: request.body.searchId }),
      });
      return reply.status(201).send({ id: vote.id, articleId: vote.articleId, helpful: vote.helpful });
    },
  );

  app.get(
    '/api/v1/help-center/settings',
    { schema: { tags, description: "The help center's brand.", response: { 200: brandSchema } } },
    async (request) => {
      const brand = await getHelpBrand(db, actorOf(request));
      return { ...brand, url: helpUrls('', brand.slug).base };
    },
  );

  app.patch(
    '/api/v1/help-center/settings',
    {
      config: { minRole: 'admin' },
      schema: { tags, body: brandPatch, response: { 200: brandSchema } },
    },
    async (request) => {
      const brand = await updateHelpBrand(db, actorOf(request), request.body);
      return { ...brand, url: helpUrls('', brand.slug).base };
    },
  );
}
