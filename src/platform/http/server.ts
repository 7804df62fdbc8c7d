import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyContextConfig, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { SecretBox } from '../crypto.ts';
import type { Db } from '../db/database.ts';
import { registerAuthentication } from './authentication.ts';
import { registerDefaultContentSecurityPolicy } from './default-csp.ts';
import { registerIdempotency } from './idempotency.ts';
import { withoutNulEscapes } from './json-text.ts';
import { handleError, sendProblem } from './problem.ts';

export type App = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export const BODY_LIMIT = 1024 * 1024;

/** One method of one route as registered, for checks that must cover every route (authorization). */
export type RouteInfo = {
  method: string;
  url: string;
  config: FastifyContextConfig;
  websocket: boolean;
  /** Limited per client address, by `config.rateLimit` or an `onRequest` hook from `app.rateLimit()`. */
  rateLimited: boolean;
};

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteInfo[];
  }
}

/** The HTTP plumbing every capability shares: validation, errors, auth, idempotency, rate limits, OpenAPI. */
export async function createHttpServer(options: {
  db: Db;
  clock: Clock;
  /** Seals what must not be readable at rest (stored idempotent answers). */
  secretBox: SecretBox;
  logger: FastifyBaseLogger;
  version: string;
  /** The origin browsers use when it differs from the Host header (behind a rewriting proxy). */
  publicOrigin?: string | undefined;
}): Promise<App> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdHeader: 'x-request-id',
    trustProxy: true,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  const routeTable: RouteInfo[] = [];
  app.decorate('routeTable', routeTable);
  // Limiters made by app.rateLimit(), so the table can tell a route that shares one (a page and its form).
  const limiters = new WeakSet<object>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      routeTable.push({
        method,
        url: route.url,
        // Read when asked: a plugin's own onRoute hook (the console's assets) may set it after this one.
        get config() {
          return (route.config ?? {}) as FastifyContextConfig;
        },
        websocket: Boolean((route as { websocket?: boolean }).websocket),
        get rateLimited() {
          const hooks = [route.onRequest ?? []].flat();
          return Boolean(route.config?.rateLimit) || hooks.some((hook) => limiters.has(hook));
        },
      });
    }
  });

  // Fastify's own parser (with its prototype-poisoning checks), after dropping NULs PostgreSQL refuses.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    parseJson(request, withoutNulEscapes(body as string), done),
  );

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}`),
  );

  await app.register(cookie);
  // Limits are opted into per route (login, public endpoints); counters live in each process.
  await app.register(rateLimit, { global: false });
  const makeLimiter = app.rateLimit.bind(app);
  app.rateLimit = (options) => {
    const limiter = makeLimiter(options);
    limiters.add(limiter);
    return limiter;
  };
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    // Shutdown says "going away" (1001) so clients reconnect elsewhere; the plugin's default close
    // frame has no code. The HTTP server's close then waits for these sockets to finish closing.
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(1001, 'Server shutting down');
      this.websocketServer.close();
      done();
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Rapport API', version: options.version },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'rapport_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  registerAuthentication(app, options);
  registerIdempotency(app, options);
  registerDefaultContentSecurityPolicy(app);

  app.get(
    '/api/v1/health',
    {
      config: { public: true },
      schema: { tags: ['platform'], response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  return app;
}
