import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { downloadHeaders } from '../attachments/attachment-routes.ts';
import { MAX_FILE_BYTES } from '../attachments/attachment-service.ts';
import { workspaceParams } from '../helpcenter/helpcenter-schemas.ts';
import { type HelpWorkspace, helpWorkspace } from '../helpcenter/helpcenter-service.ts';
import type { Deps } from '../platform/deps.ts';
import { DomainError } from '../platform/errors.ts';
import { isSameOriginRequest } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { originFor, pageUrls, sendHelpPage } from '../webform/help-page.ts';
import {
  FORM_FIELD_LIMIT,
  FORM_MAX_FILES,
  readCustomerForm,
  sendUploads,
} from '../webform/webform-multipart.ts';
import {
  endPortalSession,
  PORTAL_COOKIE,
  type PortalCustomer,
  redeemSignInLink,
  requestSignInLink,
  resolvePortalSession,
} from './portal-auth.ts';
import {
  checkEmailContent,
  enterContent,
  linkProblemContent,
  portalBase,
  portalStyles,
  signInContent,
  ticketContent,
  ticketsContent,
} from './portal-pages.ts';
import {
  checkReplyable,
  listPortalTickets,
  openPortalFile,
  type PortalTicket,
  portalConversation,
  portalTicket,
  rateFromPortal,
  replyFromPortal,
} from './portal-service.ts';

/** Per client address: a person asks for a link now and then; a script mailing strangers is stopped. */
export const SIGN_IN_LIMIT = { max: 10, timeWindow: '10 minutes' };
const pageLimit = { max: 240, timeWindow: '1 minute' };
const writeLimit = { max: 30, timeWindow: '1 minute' };

const ticketParams = workspaceParams.extend({
  number: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31),
});
const fileParams = workspaceParams.extend({ id: z.uuid() });
const tokenQuery = z.object({ t: z.string().min(1).max(800) });
const emailForm = z.object({ email: z.string().trim().max(320) });
const ratingForm = z.object({
  score: z.coerce.number().int().min(1).max(5),
  comment: z.string().max(2000).default(''),
});

/**
 * The customer portal at `/help/:workspace/portal`: sign-in by one-time email link, the customer's
 * tickets from every channel, replies with files, and the rating of solved tickets. Its cookie is its
 * own (path-scoped to the workspace's portal), never an agent session, and every read is the customer's.
 */
export function registerPortalRoutes(app: App, deps: Deps) {
  const { db, clock, secretBox, config } = deps;
  const secure = config.RAPPORT_PUBLIC_URL?.startsWith('https://') ?? false;
  const publicOrigin = config.RAPPORT_PUBLIC_URL ? new URL(config.RAPPORT_PUBLIC_URL).origin : undefined;
  const cookiePath = (workspace: HelpWorkspace) => `/help/${encodeURIComponent(workspace.slug)}/portal`;

  function show(
    request: FastifyRequest,
    reply: FastifyReply,
    workspace: HelpWorkspace,
    page: { title: string; content: (urls: ReturnType<typeof pageUrls>) => ReturnType<typeof signInContent> },
    status = 200,
  ) {
    const urls = pageUrls(originFor(config, request), workspace);
    return sendHelpPage(reply, {
      workspace,
      urls,
      title: page.title,
      content: page.content(urls),
      styles: portalStyles,
      status,
    });
  }

  /** The workspace and the signed-in customer; writes must also come from our own pages (CSRF). */
  async function visitor(request: FastifyRequest<{ Params: { workspace: string } }>) {
    const workspace = await helpWorkspace(db, request.params.workspace);
    if (!isSameOriginRequest(request, publicOrigin))
      throw new DomainError('forbidden', 'Cross-site requests to the portal are refused');
    const who = await resolvePortalSession(db, workspace.id, request.cookies[PORTAL_COOKIE], clock.now());
    return { workspace, who };
  }

  const signedOut = (request: FastifyRequest, reply: FastifyReply, workspace: HelpWorkspace) =>
    show(request, reply, workspace, { title: 'Sign in', content: (urls) => signInContent(urls) }, 401);

  const route = { config: { public: true, rateLimit: pageLimit }, schema: { hide: true } };

  app.get(
    '/help/:workspace/portal',
    { ...route, schema: { ...route.schema, params: workspaceParams } },
    async (request, reply) => {
      const { workspace, who } = await visitor(request);
      if (!who)
        return show(request, reply, workspace, { title: 'Sign in', content: (urls) => signInContent(urls) });
      const tickets = await listPortalTickets(db, who);
      return show(request, reply, workspace, {
        title: 'Your requests',
        content: (urls) => ticketsContent(urls, tickets),
      });
    },
  );

  app.get(
    '/help/:workspace/portal/enter',
    { ...route, schema: { ...route.schema, params: workspaceParams, querystring: tokenQuery } },
    async (request, reply) => {
      const workspace = await helpWorkspace(db, request.params.workspace);
      return show(request, reply, workspace, {
        title: 'Sign in',
        content: (urls) => enterContent(urls, request.query.t),
      });
    },
  );

  async function ticketPage(
    request: FastifyRequest,
    reply: FastifyReply,
    workspace: HelpWorkspace,
    who: PortalCustomer,
    ticket: PortalTicket,
    error?: { message: string; status: number },
  ) {
    const conversation = await portalConversation(db, who, ticket);
    return show(
      request,
      reply,
      workspace,
      {
        title: `#${ticket.number} ${ticket.subject}`,
        content: (urls) => ticketContent(urls, ticket, conversation, error?.message),
      },
      error?.status ?? 200,
    );
  }

  app.get(
    '/help/:workspace/portal/tickets/:number',
    { ...route, schema: { ...route.schema, params: ticketParams } },
    async (request, reply) => {
      const { workspace, who } = await visitor(request);
      if (!who) return signedOut(request, reply, workspace);
      const ticket = await portalTicket(db, who, request.params.number);
      return ticketPage(request, reply, workspace, who, ticket);
    },
  );

  app.get(
    '/help/:workspace/portal/files/:id',
    { ...route, schema: { ...route.schema, params: fileParams } },
    async (request, reply) => {
      const { workspace, who } = await visitor(request);
      if (!who) return signedOut(request, reply, workspace);
      const { row, stream } = await openPortalFile(deps, who, request.params.id);
      return reply.headers(downloadHeaders(row)).send(stream);
    },
  );

  app.register(async (scope: App) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    await scope.register(multipart, {
      limits: {
        fileSize: MAX_FILE_BYTES,
        files: FORM_MAX_FILES,
        fields: 5,
        fieldSize: FORM_FIELD_LIMIT,
        parts: FORM_MAX_FILES + 5,
      },
    });

    scope.post(
      '/help/:workspace/portal/sign-in',
      {
        config: { public: true, rateLimit: SIGN_IN_LIMIT },
        schema: { hide: true, params: workspaceParams, body: emailForm },
      },
      async (request, reply) => {
        const { workspace } = await visitor(request);
        const urls = pageUrls(originFor(config, request), workspace);
        const email = request.body.email;
        if (!z.email().safeParse(email).success)
          return show(
            request,
            reply,
            workspace,
            {
              title: 'Sign in',
              content: (u) => signInContent(u, 'Enter an email address like you@example.com'),
            },
            400,
          );
        const outcome = await requestSignInLink(
          deps,
          { workspaceId: workspace.id, email, linkBase: urls.origin + portalBase(urls) },
          clock.now(),
        );
        request.log.info({ workspaceId: workspace.id, outcome }, 'portal sign-in link asked for');
        return show(request, reply, workspace, {
          title: 'Check your email',
          content: () => checkEmailContent(),
        });
      },
    );

    scope.post(
      '/help/:workspace/portal/enter',
      {
        config: { public: true, rateLimit: SIGN_IN_LIMIT },
        schema: { hide: true, params: workspaceParams, body: tokenQuery },
      },
      async (request, reply) => {
        const { workspace } = await visitor(request);
        const outcome = await redeemSignInLink(
          db,
          secretBox,
          { workspaceId: workspace.id, token: request.body.t },
          clock.now(),
        );
        if (outcome.status !== 'signed_in')
          return show(
            request,
            reply,
            workspace,
            { title: 'Sign in', content: (urls) => linkProblemContent(urls, outcome.status) },
            410,
          );
        reply.setCookie(PORTAL_COOKIE, outcome.token, {
          httpOnly: true,
          sameSite: 'lax',
          secure,
          path: cookiePath(workspace),
          expires: outcome.expiresAt,
        });
        return reply.redirect(cookiePath(workspace), 303);
      },
    );

    scope.post(
      '/help/:workspace/portal/sign-out',
      { config: { public: true, rateLimit: writeLimit }, schema: { hide: true, params: workspaceParams } },
      async (request, reply) => {
        const { workspace } = await visitor(request);
        const token = request.cookies[PORTAL_COOKIE];
        if (token) await endPortalSession(db, token);
        reply.clearCookie(PORTAL_COOKIE, { path: cookiePath(workspace) });
        return reply.redirect(cookiePath(workspace), 303);
      },
    );

    scope.post(
      '/help/:workspace/portal/tickets/:number/reply',
      { config: { public: true, rateLimit: writeLimit }, schema: { hide: true, params: ticketParams } },
      async (request, reply) => {
        const { workspace, who } = await visitor(request);
        if (!who) return signedOut(request, reply, workspace);
        const ticket = await portalTicket(db, who, request.params.number);
        try {
          const { fields, uploads } = await readCustomerForm(request, deps, workspace.id, async () =>
            checkReplyable(ticket),
          );
          await sendUploads(deps, workspace.id, uploads, (uploadIds) =>
            replyFromPortal(db, who, ticket, { body: (fields.body ?? '').slice(0, 20_000), uploadIds }),
          );
        } catch (error) {
          if (!(error instanceof DomainError) || !['validation_failed', 'invalid_state'].includes(error.code))
            throw error;
          return ticketPage(request, reply, workspace, who, ticket, { message: error.message, status: 400 });
        }
        return reply.redirect(`${cookiePath(workspace)}/tickets/${ticket.number}`, 303);
      },
    );

    scope.post(
      '/help/:workspace/portal/tickets/:number/rating',
      {
        config: { public: true, rateLimit: writeLimit },
        schema: { hide: true, params: ticketParams, body: ratingForm },
      },
      async (request, reply) => {
        const { workspace, who } = await visitor(request);
        if (!who) return signedOut(request, reply, workspace);
        const ticket = await portalTicket(db, who, request.params.number);
        try {
          await rateFromPortal(deps, who, ticket, request.body, clock.now());
        } catch (error) {
          if (!(error instanceof DomainError) || error.code !== 'invalid_state') throw error;
          return ticketPage(request, reply, workspace, who, ticket, { message: error.message, status: 400 });
        }
        return reply.redirect(`${cookiePath(workspace)}/tickets/${ticket.number}`, 303);
      },
    );
  });
}
