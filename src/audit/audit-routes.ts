import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { decodeCursor, encodeCursor } from '../platform/http/cursor.ts';
import type { App } from '../platform/http/server.ts';
import { listAudit, recordAudit, redact } from './audit-service.ts';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const entrySchema = z.object({
  id: z.uuid(),
  actorUserId: z.uuid().nullable(),
  method: z.string(),
  route: z.string(),
  targetId: z.string().nullable(),
  status: z.number().int(),
  requestId: z.string(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
});

/**
 * Records every successful write to an admin-only route, decided from the route table, so a route
 * added later is audited without anyone remembering to: who, which route and record, what was sent
 * (secrets redacted). Also serves the log to admins.
 */
export async function registerAuditRoutes(app: App, { db, logger }: Deps) {
  // A create has no id in its URL: the id is read from the response it sends.
  const createdIds = new WeakMap<object, string>();
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method === 'POST' && reply.statusCode === 201 && typeof payload === 'string') {
      const id = /"id":"([0-9a-f-]{36})"/.exec(payload)?.[1];
      if (id) createdIds.set(request, id);
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const config = request.routeOptions.config;
    const auth = request.auth;
    if (!auth || !(config.minRole === 'admin' || config.audit) || !WRITE_METHODS.has(request.method)) return;
    if (reply.statusCode >= 400) return;
    const params = (request.params ?? {}) as Record<string, string>;
    const createdId = createdIds.get(request);
    try {
      await recordAudit(db, {
        workspaceId: auth.workspaceId,
        actorUserId: auth.userId,
        method: request.method,
        route: request.routeOptions.url ?? request.url,
        targetId: params.id ?? Object.values(params)[0] ?? createdId ?? null,
        status: reply.statusCode,
        requestId: request.id,
        details: { params: redact(params), body: redact(request.body ?? null) },
      });
    } catch (error) {
      // The change itself is committed; a lost audit line is logged loudly rather than failing it.
      logger.error({ err: error, requestId: request.id }, 'could not record an audit entry');
    }
  });

  app.get(
    '/api/v1/audit-log',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['audit'],
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(200).optional(),
          actorUserId: z.uuid().optional(),
        }),
        response: { 200: z.object({ data: z.array(entrySchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { limit, cursor, actorUserId } = request.query;
      const rows = await listAudit(db, actorOf(request), {
        limit: limit + 1,
        cursor: cursor ? decodeCursor(cursor) : undefined,
        actorUserId,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map((row) => ({
          id: row.id,
          actorUserId: row.actorUserId,
          method: row.method,
          route: row.route,
          targetId: row.targetId,
          status: row.status,
          requestId: row.requestId,
          details: row.details,
          createdAt: row.createdAt.toISOString(),
        })),
        nextCursor:
          rows.length > limit && last
            ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id })
            : null,
      };
    },
  );
}
