import { and, eq, isNull } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { apiTokens } from '../db/schema/index.ts';
import { createApiToken, createSession, deleteSession } from '../platform/auth/credentials.ts';
import { forgetCachedTokens } from '../platform/auth/token-cache.ts';
import type { Deps } from '../platform/deps.ts';
import { notFound } from '../platform/errors.ts';
import { actorOf, authenticate, SESSION_COOKIE } from '../platform/http/authentication.ts';
import { emailSchema, idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { listWorkspacesOf } from '../workspaces/workspace-service.ts';
import { memberSchema, presentMember } from './user-schemas.ts';
import { changePassword, getMember, verifyLogin } from './user-service.ts';

const meSchema = z.object({
  user: memberSchema,
  workspace: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
  workspaces: z.array(z.object({ id: z.string(), name: z.string(), slug: z.string(), role: z.string() })),
});

export function registerAuthRoutes(app: App, deps: Deps) {
  const { db, clock, config } = deps;
  const secureCookie = config.RAPPORT_PUBLIC_URL?.startsWith('https://') ?? false;

  async function startSession(reply: FastifyReply, userId: string, workspaceId: string) {
    const session = await createSession(db, {
      userId,
      workspaceId,
      ttlHours: config.RAPPORT_SESSION_TTL_HOURS,
      clock,
    });
    reply.setCookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookie,
      path: '/',
      expires: session.expiresAt,
    });
  }

  async function me(userId: string, workspaceId: string, role: 'admin' | 'agent' | 'light') {
    const workspaces = await listWorkspacesOf(db, userId);
    const current = workspaces.find((w) => w.id === workspaceId)!;
    const user = await getMember(db, { userId, workspaceId, role }, userId);
    return {
      user: presentMember(user),
      workspace: { id: current.id, name: current.name, slug: current.slug },
      workspaces: workspaces.map(({ id, name, slug, role: r }) => ({ id, name, slug, role: r })),
    };
  }

  app.post(
    '/api/v1/auth/login',
    {
      config: {
        public: true,
        rateLimit: { max: config.RAPPORT_LOGIN_RATE_LIMIT, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        body: z.strictObject({
          email: emailSchema,
          password: z.string().min(1).max(1024),
          workspaceId: z.uuid().optional(),
        }),
        response: { 200: meSchema },
      },
    },
    async (request, reply) => {
      const { userId, workspaceId } = await verifyLogin(db, request.body, {
        now: deps.clock.now(),
        policy: {
          maxFailures: config.RAPPORT_LOGIN_LOCKOUT_FAILURES,
          lockMinutes: config.RAPPORT_LOGIN_LOCKOUT_MINUTES,
        },
      });
      await startSession(reply, userId, workspaceId);
      const [membership] = (await listWorkspacesOf(db, userId)).filter((w) => w.id === workspaceId);
      return me(userId, workspaceId, membership!.role);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { minRole: 'light' }, schema: { tags: ['auth'], response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deleteSession(db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/switch',
    {
      config: { minRole: 'light' },
      schema: {
        tags: ['auth'],
        body: z.strictObject({ workspaceId: z.uuid() }),
        response: { 200: meSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const target = (await listWorkspacesOf(db, actor.userId)).find(
        (w) => w.id === request.body.workspaceId,
      );
      if (!target) throw notFound('Workspace');
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deleteSession(db, token);
      await startSession(reply, actor.userId, target.id);
      return me(actor.userId, target.id, target.role);
    },
  );

  // The console asks this on load: "nobody is signed in" is an answer, not an error. Limited like
  // every public route, since each call looks a credential up; generous for offices behind one address.
  app.get(
    '/api/v1/auth/session',
    {
      config: { public: true, rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], response: { 200: z.object({ me: meSchema.nullable() }) } },
    },
    async (request) => {
      const auth = await authenticate(request, db, clock);
      return { me: auth ? await me(auth.userId, auth.workspaceId, auth.role) : null };
    },
  );

  app.get('/api/v1/me', { schema: { tags: ['auth'], response: { 200: meSchema } } }, async (request) => {
    const actor = actorOf(request);
    return me(actor.userId, actor.workspaceId, actor.role);
  });

  app.post(
    '/api/v1/me/password',
    {
      config: {
        minRole: 'light',
        audit: true,
        rateLimit: { max: config.RAPPORT_LOGIN_RATE_LIMIT, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        body: z.strictObject({ current: z.string().min(1).max(1024), next: z.string().max(1024) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await changePassword(db, actorOf(request), request.body);
      return reply.status(204).send(null);
    },
  );

  const tokenSchema = z.object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
  });

  app.post(
    '/api/v1/tokens',
    {
      config: { minRole: 'light', audit: true },
      schema: {
        tags: ['auth'],
        body: z
          .strictObject({ name: z.string().trim().min(1).max(100).default('API token') })
          .default({ name: 'API token' }),
        response: { 201: z.object({ id: z.string(), name: z.string(), token: z.string() }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const created = await createApiToken(db, {
        userId: actor.userId,
        workspaceId: actor.workspaceId,
        name: request.body.name,
      });
      return reply.status(201).send({ ...created, name: request.body.name });
    },
  );

  app.get(
    '/api/v1/tokens',
    { schema: { tags: ['auth'], response: { 200: z.object({ data: z.array(tokenSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      const rows = await db
        .select()
        .from(apiTokens)
        .where(
          and(
            eq(apiTokens.workspaceId, actor.workspaceId),
            eq(apiTokens.userId, actor.userId),
            isNull(apiTokens.revokedAt),
          ),
        );
      return {
        data: rows.map((row) => ({
          id: row.id,
          name: row.name,
          createdAt: row.createdAt.toISOString(),
          lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { minRole: 'light', audit: true },
      schema: { tags: ['auth'], params: idParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      // Admins may revoke anyone's token in their workspace; others only their own.
      const owner = actor.role === 'admin' ? undefined : eq(apiTokens.userId, actor.userId);
      const revoked = await db
        .update(apiTokens)
        .set({ revokedAt: clock.now() })
        .where(
          and(
            eq(apiTokens.id, request.params.id),
            eq(apiTokens.workspaceId, actor.workspaceId),
            isNull(apiTokens.revokedAt),
            owner,
          ),
        )
        .returning({ id: apiTokens.id });
      if (revoked.length === 0) throw notFound('Token');
      forgetCachedTokens();
      return reply.status(204).send(null);
    },
  );
}
