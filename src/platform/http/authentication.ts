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
    /** Record successful writes in the audit log even though the route is not admin-only. */
    audit?: boolean;
  }
  interface FastifyRequest {
    auth: Authenticated | undefined;
  }
}

export async function authenticate(
  request: FastifyRequest,
  db: Db,
  clock: Clock,
  options: { fresh?: boolean } = {},
): Promise<Authenticated | undefined> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return resolveApiToken(db, header.slice(7).trim(), clock, options);
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? resolveSession(db, cookie, clock) : undefined;
}

/** Every route requires a signed-in user with enough role unless its config says `public: true`. */
export function registerAuthentication(
  app: FastifyInstance,
  deps: { db: Db; clock: Clock; publicOrigin?: string | undefined },
) {
  app.decorateRequest('auth', undefined);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public || !request.routeOptions.url) return;
    request.auth = await authenticate(request, deps.db, deps.clock);
    if (!request.auth) throw new DomainError('unauthenticated', 'Sign in or send a valid API token');
    if (request.auth.via === 'session' && !isSameOriginRequest(request, deps.publicOrigin))
      throw new DomainError('forbidden', 'Cross-site requests with a session cookie are refused');
    const needed = config.minRole ?? (request.method === 'GET' ? 'light' : 'agent');
    if (!roleAtLeast(request.auth.role, needed)) {
      throw new DomainError('forbidden', `This needs the ${needed} role or higher`);
    }
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie sessions (bearer tokens are never sent by a browser on its own): a write, or
 * a WebSocket upgrade, must come from our own origin. Browsers send Origin on every cross-origin write
 * and Sec-Fetch-Site on every request; a client that sends neither is not a browser acting for a victim.
 */
export function isSameOriginRequest(request: FastifyRequest, publicOrigin: string | undefined): boolean {
  const upgrade = request.headers.upgrade?.toLowerCase() === 'websocket';
  if (SAFE_METHODS.has(request.method) && !upgrade) return true;
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    try {
      const url = new URL(origin);
      // Through URL on both sides, so an explicit default port (localhost:80) compares equal.
      const host = new URL(`${url.protocol}//${request.host}`).host;
      return url.host === host || url.origin === publicOrigin;
    } catch {
      return false;
    }
  }
  if (origin === 'null') return false;
  const site = request.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.auth) throw new DomainError('unauthenticated', 'Sign in or send a valid API token');
  const { userId, workspaceId, role } = request.auth;
  return { userId, workspaceId, role };
}
