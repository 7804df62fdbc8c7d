import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getCategory, getCategoryBySlug, listCategories } from '../kb/kb-category-service.ts';
import { recordSearchClick, recordVote } from '../kb/kb-feedback-service.ts';
import { getArticleBySlug, listArticles, listTranslations } from '../kb/kb-service.ts';
import type { Deps } from '../platform/deps.ts';
import { DomainError } from '../platform/errors.ts';
import type { App } from '../platform/http/server.ts';
import { registerHelpCenterApiRoutes } from './helpcenter-api-routes.ts';
import {
  contentSecurityPolicy,
  type Html,
  layout,
  newNonce,
  type PageMeta,
  searchScript,
} from './helpcenter-html.ts';
import {
  articleContent,
  categoryContent,
  describe,
  type HelpUrls,
  helpUrls,
  homeContent,
  notFoundContent,
  searchContent,
  sitemap,
} from './helpcenter-pages.ts';
import {
  articleQuery,
  pageQuery,
  searchQuery,
  slugParams,
  voteForm,
  workspaceParams,
} from './helpcenter-schemas.ts';
import {
  categoryArticles,
  categoryTree,
  type HelpWorkspace,
  helpWorkspace,
  publicReader,
  publicSearch,
  relatedArticles,
  unknownWorkspace,
} from './helpcenter-service.ts';

// Pages: generous for people browsing behind one NAT, tight enough to stop scraping floods.
export const pageLimit = { max: 300, timeWindow: '1 minute' };
const voteLimit = { max: 20, timeWindow: '1 minute' };
const FORM_LIMIT = 16 * 1024;

/**
 * The public help center at `/help/:workspace/...` (the workspace slug, as the widget names it):
 * server-rendered HTML with a strict CSP, only published, non-internal articles.
 */
export function registerHelpCenterRoutes(app: App, deps: Deps) {
  const { db } = deps;
  const configured = deps.config.RAPPORT_PUBLIC_URL?.replace(/\/$/, '');
  const originOf = (request: FastifyRequest) => configured ?? `${request.protocol}://${request.host}`;

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    workspace: HelpWorkspace,
    meta: Omit<PageMeta, 'canonical'> & { path: string },
    content: Html,
    options: { status?: number; query?: string } = {},
  ) {
    const urls = helpUrls(originOf(request), workspace.slug);
    const nonce = newNonce();
    const body = layout({
      brand: workspace.brand,
      base: urls.base,
      meta: { ...meta, canonical: urls.origin + meta.path },
      nonce,
      content,
      script: searchScript(`/api/v1/help/${encodeURIComponent(workspace.slug)}`, urls.base),
      ...(options.query !== undefined && { query: options.query }),
    });
    return reply
      .status(options.status ?? 200)
      .header('content-security-policy', contentSecurityPolicy(nonce))
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'strict-origin-when-cross-origin')
      .header('cache-control', 'public, max-age=60')
      .type('text/html; charset=utf-8')
      .send(body);
  }

  /**
   * Resolves the workspace, then runs the page; a not_found (no such workspace, category or article)
   * becomes an HTML 404 for people, everything else goes to the problem handler.
   */
  async function withPage(
    request: FastifyRequest<{ Params: { workspace: string } }>,
    reply: FastifyReply,
    what: string,
    run: (workspace: HelpWorkspace) => Promise<FastifyReply>,
  ) {
    let workspace: HelpWorkspace | undefined;
    try {
      workspace = await helpWorkspace(db, request.params.workspace);
      return await run(workspace);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'not_found') throw error;
      const shown = workspace ?? unknownWorkspace(request.params.workspace);
      const urls = helpUrls(originOf(request), shown.slug);
      return page(
        request,
        reply,
        shown,
        { title: `Not found · ${shown.brand.name}`, description: what, path: urls.base, noindex: true },
        notFoundContent(urls, workspace ? what : 'This help center'),
        { status: 404 },
      );
    }
  }

  const route = { config: { public: true, rateLimit: pageLimit }, schema: { hide: true } };

  app.get(
    '/help/:workspace',
    { ...route, schema: { ...route.schema, params: workspaceParams, querystring: pageQuery } },
    async (request, reply) =>
      withPage(request, reply, 'This page', async (workspace) => {
        const language = request.query.lang ?? 'en';
        const [categories, top] = await Promise.all([
          listCategories(db, workspace.id),
          listArticles(db, publicReader(workspace.id), { language, limit: 10 }),
        ]);
        const urls = helpUrls(originOf(request), workspace.slug);
        const { name } = workspace.brand;
        return page(
          request,
          reply,
          workspace,
          { title: `${name} Help Center`, description: `Answers and guides from ${name}.`, path: urls.base },
          homeContent(urls, name, categoryTree(categories), top),
        );
      }),
  );

  app.get(
    '/help/:workspace/categories/:slug',
    { ...route, schema: { ...route.schema, params: slugParams, querystring: pageQuery } },
    async (request, reply) =>
      withPage(request, reply, 'This category', async (workspace) => {
        const category = await getCategoryBySlug(db, workspace.id, request.params.slug);
        const language = request.query.lang ?? 'en';
        const { categories, byCategory } = await categoryArticles(db, workspace.id, category, language);
        const urls = helpUrls(originOf(request), workspace.slug);
        const sections = categories.filter((c) => c.parentId === category.id);
        return page(
          request,
          reply,
          workspace,
          {
            title: `${category.name} · ${workspace.brand.name} Help Center`,
            description: category.description || `${category.name}: articles from ${workspace.brand.name}.`,
            path: urls.category(category.slug),
          },
          categoryContent(urls, category, sections, byCategory),
        );
      }),
  );

  const articlePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    workspace: HelpWorkspace,
    input: { slug: string; language: string; searchId: string | undefined; voted: boolean },
  ) => {
    const reader = publicReader(workspace.id);
    const article = await getArticleBySlug(db, reader, { slug: input.slug, language: input.language });
    const [category, related, translations] = await Promise.all([
      article.categoryId ? getCategory(db, workspace.id, article.categoryId).catch(() => null) : null,
      relatedArticles(db, article),
      listTranslations(db, reader, article.id),
    ]);
    if (input.searchId && !input.voted)
      await recordSearchClick(db, {
        workspaceId: workspace.id,
        searchId: input.searchId,
        articleId: article.id,
      });
    const urls: HelpUrls = helpUrls(originOf(request), workspace.slug);
    return page(
      request,
      reply,
      workspace,
      {
        title: `${article.title} · ${workspace.brand.name}`,
        description: describe(article),
        path: urls.article(article.slug, article.language),
        alternates: translations.map((t) => ({
          language: t.language,
          href: urls.origin + urls.article(t.slug, t.language),
        })),
      },
      articleContent({
        urls,
        article,
        category,
        related,
        translations,
        vote: input.voted ? 'thanks' : 'none',
        searchId: input.searchId,
      }),
    );
  };

  app.get(
    '/help/:workspace/articles/:slug',
    { ...route, schema: { ...route.schema, params: slugParams, querystring: articleQuery } },
    async (request, reply) =>
      withPage(request, reply, 'This article', (workspace) =>
        articlePage(request, reply, workspace, {
          slug: request.params.slug,
          language: request.query.lang ?? 'en',
          searchId: request.query.search,
          voted: request.query.voted !== undefined,
        }),
      ),
  );

  app.get(
    '/help/:workspace/search',
    { ...route, schema: { ...route.schema, params: workspaceParams, querystring: searchQuery } },
    async (request, reply) =>
      withPage(request, reply, 'This page', async (workspace) => {
        const query = request.query.q.trim();
        const { hits, searchId } = await publicSearch(db, workspace.id, {
          query,
          language: request.query.lang,
          limit: 20,
          log: true,
        });
        const urls = helpUrls(originOf(request), workspace.slug);
        return page(
          request,
          reply,
          workspace,
          {
            title: query ? `${query} · Search · ${workspace.brand.name}` : `Search · ${workspace.brand.name}`,
            description: `Search the ${workspace.brand.name} help center.`,
            path: `${urls.base}/search`,
            noindex: true,
          },
          searchContent(urls, query, hits, searchId, workspace.brand.contactUrl),
          { query },
        );
      }),
  );

  app.get(
    '/help/:workspace/sitemap.xml',
    { ...route, schema: { ...route.schema, params: workspaceParams } },
    async (request, reply) => {
      const workspace = await helpWorkspace(db, request.params.workspace);
      const [categories, articles] = await Promise.all([
        listCategories(db, workspace.id),
        listArticles(db, publicReader(workspace.id), { limit: 500 }),
      ]);
      return reply
        .header('cache-control', 'public, max-age=300')
        .type('application/xml; charset=utf-8')
        .send(sitemap(helpUrls(originOf(request), workspace.slug), categories, articles));
    },
  );

  // The no-JavaScript vote: a plain form post, answered with a redirect back to the article.
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    scope.post(
      '/help/:workspace/articles/:slug/vote',
      {
        config: { public: true, rateLimit: voteLimit },
        schema: { hide: true, params: slugParams, body: voteForm },
      },
      async (request, reply) => {
        const workspace = await helpWorkspace(db, request.params.workspace);
        const { body } = request;
        await recordVote(db, publicReader(workspace.id), {
          articleId: body.articleId,
          helpful: body.helpful,
          comment: body.comment ?? null,
          ...(body.searchId && { searchId: body.searchId }),
        });
        const urls = helpUrls('', workspace.slug);
        const target = urls.article(request.params.slug, body.language ?? 'en');
        return reply.redirect(`${target}${target.includes('?') ? '&' : '?'}voted=1#vote`, 303);
      },
    );
  });

  registerHelpCenterApiRoutes(app, deps);
}
