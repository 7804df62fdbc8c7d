import { and, eq, isNull, lt } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { idempotencyKeys } from '../../db/schema/index.ts';
import type { Clock } from '../clock.ts';
import { sha256 } from '../crypto.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../errors.ts';

// A reservation whose request never finished (the node died) may be taken over after this.
const ABANDONED_AFTER_MS = 60_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { workspaceId: string; userId: string; key: string } | undefined;
  }
}

/**
 * A POST with an Idempotency-Key runs once: the key is reserved before the handler runs and the
 * response is stored, so a retry gets the first answer back and writes nothing twice.
 */
export function registerIdempotency(app: FastifyInstance, deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  app.decorateRequest('idempotency', undefined);

  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string' || !request.auth) return;
    if (key.length === 0 || key.length > 255) {
      throw new DomainError('validation_failed', 'Idempotency-Key must be 1 to 255 characters');
    }
    const scope = { workspaceId: request.auth.workspaceId, userId: request.auth.userId, key };
    const requestHash = sha256(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`);
    const now = clock.now();
    const inserted = await db
      .insert(idempotencyKeys)
      .values({ ...scope, requestHash, createdAt: now })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) {
      request.idempotency = scope;
      return;
    }
    const match = and(
      eq(idempotencyKeys.workspaceId, scope.workspaceId),
      eq(idempotencyKeys.userId, scope.userId),
      eq(idempotencyKeys.key, key),
    );
    const [existing] = await db.select().from(idempotencyKeys).where(match);
    if (!existing) throw new DomainError('idempotency_key_in_use', 'Retry in a moment');
    if (existing.requestHash !== requestHash) {
      throw new DomainError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used with another request body',
      );
    }
    if (existing.completedAt && existing.statusCode !== null) {
      reply.header('idempotent-replayed', 'true');
      return reply
        .status(existing.statusCode)
        .type(existing.statusCode >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8')
        .send(existing.responseBody ?? '');
    }
    const takenOver = await db
      .update(idempotencyKeys)
      .set({ createdAt: now })
      .where(
        and(
          match,
          isNull(idempotencyKeys.completedAt),
          lt(idempotencyKeys.createdAt, new Date(now.getTime() - ABANDONED_AFTER_MS)),
        ),
      )
      .returning({ key: idempotencyKeys.key });
    if (takenOver.length === 0)
      throw new DomainError('idempotency_key_in_use', 'The first request with this key is still running');
    request.idempotency = scope;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const scope = request.idempotency;
    if (!scope) return payload;
    request.idempotency = undefined;
    const match = and(
      eq(idempotencyKeys.workspaceId, scope.workspaceId),
      eq(idempotencyKeys.userId, scope.userId),
      eq(idempotencyKeys.key, scope.key),
    );
    // A server fault wrote nothing we promise to keep: free the key so the client can retry.
    if (reply.statusCode >= 500 || reply.statusCode === 429) {
      await db.delete(idempotencyKeys).where(match);
    } else {
      await db
        .update(idempotencyKeys)
        .set({
          statusCode: reply.statusCode,
          responseBody: typeof payload === 'string' ? payload : '',
          completedAt: clock.now(),
        })
        .where(match);
    }
    return payload;
  });
}
