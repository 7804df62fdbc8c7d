import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { idempotencyKeys } from '../../db/schema/index.ts';
import type { Clock } from '../clock.ts';
import { type SecretBox, sha256 } from '../crypto.ts';
import type { Db } from '../db/database.ts';
import { runInRequestTransaction } from '../db/request-transaction.ts';
import { DomainError } from '../errors.ts';

type Scope = { workspaceId: string; userId: string; key: string };
type Answer = { statusCode: number; payload: unknown };

/** An idempotent request under way: the answer its handler sent, held until its transaction commits. */
type Pending = {
  scope: Scope;
  requestHash: string;
  answer?: ((answer: Answer) => void) | undefined;
  committed?: Promise<unknown>;
};

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: Pending | undefined;
  }
}

// A 5xx or 429 promises nothing was kept: its writes roll back with the key, so a retry runs again.
class RollBack extends Error {}

/**
 * A POST with an Idempotency-Key runs once. The key, the handler's writes and the answer it sent are
 * one transaction (services join it, see request-transaction.ts), and the answer leaves only after the
 * commit. So a node that dies mid-request leaves either nothing (a retry on any node runs it afresh)
 * or the stored answer (a retry gets it back): nothing is ever written twice. A retry while the first
 * request runs waits for it on the key's row.
 */
export function registerIdempotency(
  app: FastifyInstance,
  deps: { db: Db; clock: Clock; secretBox: SecretBox },
) {
  const { db, clock } = deps;
  const answers = storedAnswers(deps.secretBox);
  app.decorateRequest('idempotency', undefined);

  app.addHook('preHandler', async (request) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string' || !request.auth) return;
    if (key.length === 0 || key.length > 255) {
      throw new DomainError('validation_failed', 'Idempotency-Key must be 1 to 255 characters');
    }
    request.idempotency = {
      scope: { workspaceId: request.auth.workspaceId, userId: request.auth.userId, key },
      requestHash: sha256(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`),
    };
  });

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST')) return;
    const handler = route.handler;
    route.handler = async function (this: FastifyInstance, request, reply) {
      const pending = request.idempotency;
      if (!pending) return handler.call(this, request, reply);
      return runOnce(db, clock, answers, pending, request, reply, () => handler.call(this, request, reply));
    };
  });

  // The handler's answer is taken here and held until the transaction that stores it commits.
  app.addHook('onSend', async (request, reply, payload) => {
    const pending = request.idempotency;
    if (!pending?.answer || !pending.committed) return payload;
    pending.answer({ statusCode: reply.statusCode, payload });
    pending.answer = undefined;
    const failure = await pending.committed;
    if (failure) throw failure;
    return payload;
  });
}

/**
 * Stored answers are sealed with the install's key: some carry a secret shown only once (a new API
 * token, a webhook's signing secret), which must not sit readable in the database for a day.
 */
function storedAnswers(box: SecretBox) {
  return {
    seal: (body: string) => (body === '' ? '' : box.seal(body)),
    // Answers stored before sealing are plain JSON, never starting with "v1."; the sweep removes them within a day.
    open: (stored: string) => (stored.startsWith('v1.') ? box.open(stored) : stored),
  };
}
type StoredAnswers = ReturnType<typeof storedAnswers>;

async function runOnce(
  db: Db,
  clock: Clock,
  answers: StoredAnswers,
  pending: Pending,
  request: FastifyRequest,
  reply: FastifyReply,
  handle: () => unknown,
): Promise<unknown> {
  // Settles with the commit's failure, if any, which onSend then turns into a 500 instead of the answer.
  let settle: (failure: unknown) => void = () => {};
  pending.committed = new Promise<unknown>((resolve) => {
    settle = resolve;
  });
  let taken = false;
  const answered = new Promise<Answer>((resolve) => {
    pending.answer = (answer) => {
      taken = true;
      resolve(answer);
    };
  });
  let replay: { statusCode: number; body: string } | undefined;
  try {
    await runInRequestTransaction(db, async (tx) => {
      replay = await claim(tx, pending, clock.now(), answers);
      if (replay) return;
      // Not awaited alone: a handler that sends returns the reply, a thenable that settles only
      // once the answer is out, which waits for this transaction.
      const outcome = await Promise.race([
        answered.then((answer) => ({ answer })),
        Promise.resolve()
          .then(handle)
          .then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          ),
      ]);
      if ('error' in outcome) throw outcome.error;
      if ('value' in outcome && !taken) reply.send(outcome.value);
      const answer = 'answer' in outcome ? outcome.answer : await answered;
      if (answer.statusCode >= 500 || answer.statusCode === 429) throw new RollBack();
      await tx
        .update(idempotencyKeys)
        .set({
          statusCode: answer.statusCode,
          responseBody: answers.seal(typeof answer.payload === 'string' ? answer.payload : ''),
          completedAt: clock.now(),
        })
        .where(matchKey(pending.scope));
    });
    settle(undefined);
  } catch (error) {
    pending.answer = undefined;
    settle(error instanceof RollBack ? undefined : error);
    // The handler threw before answering: the error handler answers, and the key stays free.
    if (!taken) throw error;
    return reply;
  }
  if (!replay) return reply;
  request.idempotency = undefined;
  reply.header('idempotent-replayed', 'true');
  return reply
    .status(replay.statusCode)
    .type(replay.statusCode >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8')
    .send(replay.body);
}

const matchKey = (scope: Scope) =>
  and(
    eq(idempotencyKeys.workspaceId, scope.workspaceId),
    eq(idempotencyKeys.userId, scope.userId),
    eq(idempotencyKeys.key, scope.key),
  );

/** Takes the key for this request, or returns the answer the first one stored. */
async function claim(tx: Db, pending: Pending, now: Date, answers: StoredAnswers) {
  const { scope, requestHash } = pending;
  // Waits while another transaction holds the same key, then sees whether it committed.
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ ...scope, requestHash, createdAt: now })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return undefined;
  const [existing] = await tx.select().from(idempotencyKeys).where(matchKey(scope)).for('update');
  if (!existing) throw new DomainError('idempotency_key_in_use', 'Retry in a moment');
  if (existing.requestHash !== requestHash) {
    throw new DomainError(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with another request body',
    );
  }
  if (existing.completedAt && existing.statusCode !== null) {
    return { statusCode: existing.statusCode, body: answers.open(existing.responseBody ?? '') };
  }
  // Left unfinished by a version that reserved keys outside the request's transaction: ours now.
  await tx.update(idempotencyKeys).set({ createdAt: now }).where(matchKey(scope));
  return undefined;
}
