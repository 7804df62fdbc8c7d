import { timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { queryRows } from '../db/database.ts';
import { pendingMigrations } from '../db/migrate.ts';
import type { Deps } from '../deps.ts';
import { sendProblem } from '../http/problem.ts';
import type { App } from '../http/server.ts';
import { isPrivateAddress } from '../net/private-addresses.ts';

const sameSecret = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** Metrics say how busy we are and which routes exist: a token, or a scraper on this host or network. */
function mayScrape(request: FastifyRequest, token: string | undefined): boolean {
  if (token) return sameSecret(request.headers.authorization ?? '', `Bearer ${token}`);
  // The socket's address, not X-Forwarded-For: a proxy in front must not make everyone local.
  const address = request.socket.remoteAddress ?? '';
  return isPrivateAddress(address);
}

/** Readiness for load balancers, Prometheus metrics, and the gauges only the platform can see. */
export async function registerOperationsRoutes(app: App, deps: Deps) {
  const { metrics, db } = deps;
  metrics.gauge('rapport_websocket_connections', 'Open console WebSocket connections', (gauge) => {
    gauge.set(deps.hub.connectionCount());
  });
  metrics.gauge(
    'rapport_queue_depth',
    'Work waiting to be processed, by queue',
    async (gauge) => {
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM outbox WHERE processed_at IS NULL`,
      );
      gauge.set({ queue: 'outbox' }, row?.n ?? 0);
    },
    ['queue'] as const,
  );

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.httpRequestSeconds.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get(
    '/api/v1/ready',
    {
      config: { public: true },
      schema: {
        tags: ['platform'],
        response: { 200: z.object({ status: z.literal('ready') }) },
      },
    },
    async (request, reply) => {
      let pending: string[];
      try {
        pending = await pendingMigrations(db);
      } catch {
        return sendProblem(request, reply, 'unavailable', 'The database does not answer');
      }
      if (pending.length)
        return sendProblem(request, reply, 'unavailable', `Migrations not applied: ${pending.join(', ')}`);
      return { status: 'ready' as const };
    },
  );

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    if (!mayScrape(request, deps.config.RAPPORT_METRICS_TOKEN))
      return sendProblem(request, reply, 'forbidden', 'Set RAPPORT_METRICS_TOKEN to scrape from elsewhere');
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
