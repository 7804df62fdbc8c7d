import type { FastifyRequest } from 'fastify';
import type { RawData } from 'ws';
import { z } from 'zod';
import { publicUrl } from '../config.ts';
import type { Deps } from '../deps.ts';
import { DomainError } from '../errors.ts';
import { actorOf, authenticate } from '../http/authentication.ts';
import type { App } from '../http/server.ts';
import type { RealtimeMessage } from './hub.ts';

/** Close codes a client can act on: 4401 means sign in again, the 1xxx ones are the standard meanings. */
export const CLOSE_UNAUTHENTICATED = 4401;
const CLOSE_POLICY = 1008;
const CLOSE_TOO_BIG = 1009;
const CLOSE_OVERLOADED = 1013;

export type StreamOptions = {
  heartbeatMs?: number;
  recheckMs?: number;
  /** Client frames allowed per window; a client sending twice that is cut off. */
  maxFrames?: number;
  frameWindowMs?: number;
};

const MAX_CLIENT_FRAME = 1024;
// A consumer this far behind is not reading; dropping it beats buffering without bound.
const MAX_BUFFERED = 1024 * 1024;
// Presence is remembered per socket so closing a tab tells the others; this bounds that memory.
const MAX_TRACKED_TICKETS = 50;

const presenceFrame = z.strictObject({
  type: z.literal('presence'),
  ticketId: z.uuid(),
  state: z.enum(['viewing', 'typing', 'left']),
});
const clientFrame = z.discriminatedUnion('type', [presenceFrame]);

export type PresenceState = z.infer<typeof presenceFrame>['state'];

/**
 * `GET /api/v1/stream`: a WebSocket carrying the workspace's domain events and agents' presence
 * to every signed-in member. Fan-out goes through the hub, so sockets on any node see everything.
 */
export function registerStreamRoutes(app: App, deps: Deps, options: StreamOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const recheckMs = options.recheckMs ?? 60_000;
  const maxFrames = options.maxFrames ?? 30;
  const frameWindowMs = options.frameWindowMs ?? 10_000;
  const { db, clock, hub, logger } = deps;

  app.get(
    '/api/v1/stream',
    {
      websocket: true,
      config: { minRole: 'light' },
      schema: { tags: ['realtime'], hide: true },
      // Browsers send the session cookie on any page's WebSocket: refuse other origins before upgrading.
      preValidation: async (request) => {
        if (request.auth?.via === 'session' && !sameOrigin(request, publicUrl(deps.config))) {
          throw new DomainError('forbidden', 'The stream accepts session cookies only from this site');
        }
      },
    },
    (socket, request) => {
      const { userId, workspaceId } = actorOf(request);
      const log = logger.child({ stream: request.id, userId, workspaceId });
      const presence = new Map<string, PresenceState>();
      let alive = true;
      let closed = false;
      let rate = { startedAt: performance.now(), frames: 0, warned: false };

      const send = (frame: Record<string, unknown>) => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED) {
          socket.close(CLOSE_OVERLOADED, 'Too far behind; reconnect');
          return;
        }
        socket.send(JSON.stringify(frame));
      };
      const sendError = (code: string, message: string) => send({ type: 'error', code, message });
      const publishPresence = (ticketId: string, state: PresenceState) =>
        hub
          .publish(db, { workspaceId, type: 'presence', data: { ticketId, userId, state } })
          .catch((error: unknown) => log.warn({ err: error }, 'could not publish presence'));

      send({ type: 'hello', userId, workspaceId });
      const unsubscribe = hub.subscribe(workspaceId, (message: RealtimeMessage) =>
        send({ type: message.type, eventId: message.eventId, data: message.data }),
      );

      function overRate(): boolean {
        const now = performance.now();
        if (now - rate.startedAt >= frameWindowMs) rate = { startedAt: now, frames: 0, warned: false };
        rate.frames += 1;
        if (rate.frames <= maxFrames) return false;
        if (rate.frames > maxFrames * 2) socket.close(CLOSE_POLICY, 'Too many messages');
        else if (!rate.warned) {
          rate.warned = true;
          sendError(
            'rate_limited',
            `At most ${maxFrames} messages per ${frameWindowMs / 1000} s; extra ones are dropped`,
          );
        }
        return true;
      }

      socket.on('message', (raw: RawData, isBinary: boolean) => {
        if (overRate()) return;
        const size = Array.isArray(raw) ? raw.reduce((n, b) => n + b.length, 0) : raw.byteLength;
        if (size > MAX_CLIENT_FRAME) {
          sendError('payload_too_large', `Messages are at most ${MAX_CLIENT_FRAME} bytes`);
          socket.close(CLOSE_TOO_BIG, 'Message too large');
          return;
        }
        if (isBinary) return sendError('validation_failed', 'Send JSON text frames');
        const parsed = clientFrame.safeParse(parseJson(raw.toString()));
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`);
          return sendError('validation_failed', `Not a valid message (${issues.join('; ')})`);
        }
        const { ticketId, state } = parsed.data;
        if (state === 'left') presence.delete(ticketId);
        else if (presence.size >= MAX_TRACKED_TICKETS && !presence.has(ticketId)) {
          return sendError(
            'validation_failed',
            `Presence on at most ${MAX_TRACKED_TICKETS} tickets per connection`,
          );
        } else presence.set(ticketId, state);
        void publishPresence(ticketId, state);
      });

      socket.on('pong', () => {
        alive = true;
      });

      // A socket that missed a whole heartbeat is gone (sleeping laptop, dropped network).
      const heartbeat = setInterval(() => {
        if (!alive) {
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
      }, heartbeatMs);
      heartbeat.unref();

      // A revoked token, an expired or signed-out session or a removed member loses the stream too.
      const recheck = setInterval(async () => {
        try {
          const current = await authenticate(request, db, clock, { fresh: true });
          if (closed) return;
          if (!current || current.userId !== userId || current.workspaceId !== workspaceId) {
            sendError('unauthenticated', 'The session or token is no longer valid; sign in again');
            socket.close(CLOSE_UNAUTHENTICATED, 'Sign in again');
          }
        } catch (error) {
          // A database hiccup is not proof the credential died; try again next round.
          log.warn({ err: error }, 'could not re-check stream credentials');
        }
      }, recheckMs);
      recheck.unref();

      socket.on('error', (error) => log.debug({ err: error }, 'stream socket error'));
      socket.on('close', () => {
        closed = true;
        clearInterval(heartbeat);
        clearInterval(recheck);
        unsubscribe();
        for (const ticketId of presence.keys()) void publishPresence(ticketId, 'left');
        presence.clear();
      });
    },
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sameOrigin(request: FastifyRequest, configuredUrl: string): boolean {
  const origin = request.headers.origin;
  // Non-browser clients send no Origin; browsers always do on a WebSocket handshake.
  if (!origin) return true;
  try {
    const url = new URL(origin);
    return url.host === request.host || url.origin === new URL(configuredUrl).origin;
  } catch {
    return false;
  }
}
