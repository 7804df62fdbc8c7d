import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, Role } from '../auth/actor.ts';
import { roleAtLeast } from '../auth/actor.ts';
import { type Authenticated, resolveApiToken, resolveSession } from '../auth/credentials.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../errors.ts';

export const SESSION_COOKIE = 'rapport_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Deliberately reachable without signing in. */
    public?: boolean;
    /** Least role that may call the route; reads default to light, writes to agent. */
    minRole?: Role;
  }
  interface FastifyRequest {
    auth: Authenticated | undefined;
  }
}

export async function authenticate(
  request: FastifyRequest,
  db: Db,
  clock: Clock,
): Promise<Authenticated | undefined> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return resolveApiToken(db, header.slice(7).trim(), clock);
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? resolveSession(db, cookie, clock) : undefined;
}

/** Every route requires a signed-in user with enough role unless its config says `public: true`. */
export function registerAuthentication(app: FastifyInstance, deps: { db: Db; clock: Clock }) {
  app.decorateRequest('auth', undefined);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public || !request.routeOptions.url) return;
    request.auth = await authenticate(request, deps.db, deps.clock);
    if (!request.auth) throw new DomainError('unauthenticated', 'Sign in or send a valid API token');
    const needed = config.minRole ?? (request.method === 'GET' ? 'light' : 'agent');
    if (!roleAtLeast(request.auth.role, needed)) {
      throw new DomainError('forbidden', `This needs the ${needed} role or higher`);
    }
  });
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.auth) throw new DomainError('unauthenticated', 'Sign in or send a valid API token');
  const { userId, workspaceId, role } = request.auth;
  return { userId, workspaceId, role };
}
