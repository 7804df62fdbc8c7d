import type { WebSocket } from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import type { RawData } from 'ws';
import { answerCsatInChat } from '../feedback/chat-csat.ts';
import type { Deps } from '../platform/deps.ts';
import { DomainError } from '../platform/errors.ts';
import { withoutNulEscapes } from '../platform/http/json-text.ts';
import type { RealtimeMessage } from '../platform/realtime/hub.ts';
import { requestCallbackInChat } from './chat-callback.ts';
import { forVisitor, uploadIdsOf } from './chat-files.ts';
import {
  CLOSE,
  type ClientFrame,
  clientFrame,
  identifyFrame,
  issuesOf,
  parseJson,
  tokenBuckets,
} from './chat-frames.ts';
import { type ChatMessage, HISTORY_PAGE, messagesAfter } from './chat-history.ts';
import { type VisitorPage, visitorConnection, visitorPage } from './chat-presence.ts';
import type { ChatRegistry } from './chat-registry.ts';
import {
  leaveEmail,
  markVisitorRead,
  ownConversation,
  type SentMessage,
  sendVisitorMessage,
  type VisitorContext,
  verifiedCustomerId,
  visitorConversations,
} from './chat-service.ts';
import {
  type ChatWorkspace,
  chatWorkspace,
  newVisitorToken,
  verifiedUser,
  visitorIdOf,
  withinOfficeHours,
} from './chat-settings.ts';

export type ChatSocketOptions = { heartbeatMs?: number; identifyTimeoutMs?: number };

const MAX_BUFFERED = 1024 * 1024;
// Frames of any kind (typing, read marks) a socket may send per second before it is cut off.
const FRAMES_PER_SECOND = 20;

/** Watches one conversation for one socket: what it has sent so far, and the queue that keeps order. */
type Watch = { sentSeq: number; chain: Promise<void>; stop: () => void };

/**
 * Serves visitor sockets: `identify` first, then messages (acknowledged with their sequence number),
 * resume from a sequence number, typing, read marks, page changes, an email for offline answers and
 * call back requests.
 */
export function createChatSockets(deps: Deps, registry: ChatRegistry, options: ChatSocketOptions = {}) {
  const { db, logger, config } = deps;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const identifyTimeoutMs = options.identifyTimeoutMs ?? 10_000;
  const maxChars = config.RAPPORT_CHAT_MAX_MESSAGE_CHARS;
  const maxFrameBytes = maxChars * 4 + 4096;
  const messageBuckets = tokenBuckets(
    config.RAPPORT_CHAT_MESSAGES_PER_SECOND,
    Math.max(5, config.RAPPORT_CHAT_MESSAGES_PER_SECOND * 5),
  );
  const frameBuckets = tokenBuckets(FRAMES_PER_SECOND, FRAMES_PER_SECOND * 2);
  const perAddress = new Map<string, number>();
  /** Connected visitors of this node, for the heartbeat that keeps them marked online. */
  const connected = new Map<WebSocket, { workspaceId: string; visitorId: string }>();

  return {
    connected: () => [...connected.values()],
    handle(socket: WebSocket, request: FastifyRequest, workspaceRef: string) {
      const address = request.ip;
      const open = (perAddress.get(address) ?? 0) + 1;
      perAddress.set(address, open);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const left = (perAddress.get(address) ?? 1) - 1;
        if (left <= 0) perAddress.delete(address);
        else perAddress.set(address, left);
      };
      socket.on('close', release);
      if (open > config.RAPPORT_CHAT_CONNECTIONS_PER_IP) {
        socket.close(CLOSE.tooManyConnections, 'Too many connections from this address');
        return;
      }
      const log = logger.child({ chat: request.id });
      const send = (frame: Record<string, unknown>) => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED) return socket.close(1013, 'Too far behind; reconnect');
        socket.send(JSON.stringify(frame));
      };
      // Files go out as links signed for this conversation (the stored ones need a signed-in agent).
      const sendMessage = (message: ChatMessage) =>
        send({ type: 'message', message: forVisitor(workspace!, message) });
      const sendError = (code: string, message: string, extra: Record<string, unknown> = {}) =>
        send({ type: 'error', code, message, ...extra });

      let workspace: ChatWorkspace | undefined;
      let visitor: VisitorContext | undefined;
      let page: VisitorPage = { url: null, title: null };
      let closed = false;
      let alive = true;
      let strikes = 0;
      const watches = new Map<string, Watch>();
      // Frames are handled one after another, so a message and the typing stop behind it keep their order.
      let queue = Promise.resolve();

      send({ type: 'hello' });
      const identifyTimer = setTimeout(
        () => socket.close(CLOSE.identifyTimeout, 'Identify first'),
        identifyTimeoutMs,
      );

      const presence = () => ({
        workspaceId: visitor!.workspaceId,
        visitorId: visitor!.visitorId,
        customerId: null,
        ticketIds: [...watches.keys()],
        page,
      });

      function deliver(watch: Watch, conversationId: string, seq: number, message: ChatMessage | null) {
        watch.chain = watch.chain.then(async () => {
          if (seq <= watch.sentSeq || closed) return;
          if (message && seq === watch.sentSeq + 1) {
            sendMessage(message);
            watch.sentSeq = seq;
            return;
          }
          await catchUp(watch, conversationId);
        });
        return watch.chain;
      }

      async function catchUp(watch: Watch, conversationId: string) {
        for (;;) {
          const missed = await messagesAfter(db, visitor!.workspaceId, conversationId, watch.sentSeq);
          for (const message of missed) sendMessage(message);
          if (missed.length) watch.sentSeq = missed.at(-1)!.seq;
          if (missed.length < HISTORY_PAGE || closed) return;
        }
      }

      function onEvent(conversationId: string, event: RealtimeMessage) {
        const watch = watches.get(conversationId);
        if (!watch) return;
        const data = event.data;
        if (event.type === 'chat.message') {
          void deliver(
            watch,
            conversationId,
            Number(data.seq),
            (data.message as ChatMessage | null) ?? null,
          ).catch((error: unknown) => log.warn({ err: error }, 'could not deliver a chat message'));
        } else if (event.type === 'presence' && data.userId) {
          send({ type: 'typing', conversationId, by: 'agent', typing: data.state === 'typing' });
        } else if (event.type === 'chat.read') {
          send({ type: 'read', conversationId, by: data.by, seq: data.seq });
        } else if (event.type === 'chat.status') {
          send({ type: 'status', conversationId, status: data.status, ended: data.ended });
        }
      }

      /** Starts sending a conversation's messages after `lastSeq`, then live; resolves once caught up. */
      async function watch(conversationId: string, lastSeq: number) {
        let current = watches.get(conversationId);
        if (!current) {
          current = {
            sentSeq: lastSeq,
            chain: Promise.resolve(),
            stop: registry.watch(visitor!.workspaceId, conversationId, (event) =>
              onEvent(conversationId, event),
            ),
          };
          watches.set(conversationId, current);
        }
        const target = current;
        target.chain = target.chain.then(() => catchUp(target, conversationId));
        await target.chain;
        send({ type: 'synced', conversationId, lastSeq: target.sentSeq });
      }

      async function identify(raw: unknown) {
        const parsed = identifyFrame.safeParse(raw);
        if (!parsed.success) return socket.close(CLOSE.badRequest, 'The first frame must be identify');
        const frame = parsed.data;
        try {
          workspace = await chatWorkspace(db, deps.secretBox, workspaceRef);
        } catch (error) {
          if (error instanceof DomainError && error.code === 'not_found')
            return socket.close(CLOSE.unknownWorkspace, 'No such workspace');
          throw error;
        }
        if (!workspace.settings.enabled) return socket.close(CLOSE.unknownWorkspace, 'Chat is switched off');
        if (frame.user && !verifiedUser(workspace, frame.user.id, frame.user.hash))
          return socket.close(CLOSE.identityRejected, 'Identity verification failed');
        if (!frame.user && workspace.settings.requireIdentity)
          return socket.close(CLOSE.identityRejected, 'This site requires identity verification');
        const known = frame.token ? visitorIdOf(workspace, frame.token) : undefined;
        const { visitorId, token } = known
          ? { visitorId: known, token: frame.token! }
          : newVisitorToken(workspace);
        visitor = {
          workspaceId: workspace.id,
          visitorId,
          externalId: frame.user?.id ?? null,
          name: frame.user?.name ?? null,
          email: frame.user?.email ?? null,
        };
        page = { url: frame.page?.url ?? null, title: frame.page?.title ?? null };
        const conversations = await visitorConversations(db, visitor);
        const allowed = new Set(conversations.map((c) => c.id));
        clearTimeout(identifyTimer);
        connected.set(socket, { workspaceId: workspace.id, visitorId });
        send({
          type: 'ready',
          visitorId,
          token,
          verified: Boolean(frame.user),
          online: withinOfficeHours(workspace.settings.officeHours, deps.clock.now()),
          conversations,
        });
        for (const entry of frame.resume ?? [])
          if (allowed.has(entry.conversationId)) await watch(entry.conversationId, entry.lastSeq);
        await visitorConnection(db, { ...presence(), customerId: await verifiedCustomerId(db, visitor) }, 1);
      }

      /** Takes one from the visitor's message allowance; answers and says false when it is spent. */
      function allowed(clientId: string): boolean {
        const me = visitor!;
        if (!messageBuckets.take(`${me.workspaceId}/${me.visitorId}`)) {
          strikes += 1;
          if (strikes >= 10) socket.close(CLOSE.tooManyMessages, 'Too many messages');
          else
            sendError('rate_limited', 'Too many messages; wait a moment and send again', {
              clientId,
              retryAfterMs: 1000,
            });
          return false;
        }
        strikes = 0;
        return true;
      }

      /** Sends a stored visitor message to this socket in order, then its ack. */
      async function acknowledge(clientId: string, sent: SentMessage) {
        const { conversationId, seq } = sent.message;
        if (!watches.has(conversationId)) {
          await watch(conversationId, seq - 1);
          if (sent.newConversation) await visitorPage(db, presence());
        } else await deliver(watches.get(conversationId)!, conversationId, seq, sent.message);
        send({ type: 'ack', clientId, conversationId, seq, duplicate: sent.duplicate });
      }

      /** Runs a visitor's write; one refused for good (bad file, closed ticket, bad call back) is
       * answered with its client id, so the widget marks it not sent. */
      async function refusable<T>(clientId: string, write: () => Promise<T>): Promise<T | undefined> {
        try {
          return await write();
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          sendError(error.code, error.message, { clientId });
          return undefined;
        }
      }

      async function handleFrame(frame: ClientFrame) {
        const me = visitor!;
        switch (frame.type) {
          case 'message': {
            if (frame.text.length > maxChars)
              return sendError('payload_too_large', `Messages are at most ${maxChars} characters`, {
                clientId: frame.clientId,
              });
            if (!allowed(frame.clientId)) return;
            const sent = await refusable(frame.clientId, () =>
              sendVisitorMessage(db, me, {
                clientId: frame.clientId,
                text: frame.text,
                attachmentIds: uploadIdsOf(workspace!, me.visitorId, frame.files ?? []),
                conversationId: frame.conversationId ?? null,
                pageUrl: page.url,
                prechat: frame.prechat ?? undefined,
              }),
            );
            return sent && acknowledge(frame.clientId, sent);
          }
          case 'callback': {
            if (!allowed(frame.clientId)) return;
            const { type: _, clientId, conversationId, ...ask } = frame;
            const asked = await refusable(clientId, () =>
              requestCallbackInChat(
                db,
                me,
                { ...ask, clientId, conversationId: conversationId ?? null, pageUrl: page.url },
                deps.clock.now(),
              ),
            );
            if (!asked) return;
            await acknowledge(clientId, asked);
            const { phone, preferredAt, timeZone } = asked;
            send({ type: 'callback_saved', clientId, phone, preferredAt, timeZone });
            return;
          }
          case 'resume':
            await ownConversation(db, me, frame.conversationId);
            return watch(frame.conversationId, frame.lastSeq);
          case 'typing':
            if (!watches.has(frame.conversationId)) return;
            return deps.hub.publish(db, {
              workspaceId: me.workspaceId,
              type: 'chat.typing',
              data: { ticketId: frame.conversationId, by: 'visitor', typing: frame.typing },
            });
          case 'read':
            if (!watches.has(frame.conversationId)) return;
            await markVisitorRead(db, me, frame.conversationId, frame.seq);
            return;
          case 'page':
            page = { url: frame.url ?? null, title: frame.title ?? null };
            return visitorPage(db, presence());
          case 'email': {
            visitor = { ...me, email: frame.email, name: frame.name ?? me.name };
            const stored = await leaveEmail(db, visitor, frame.email);
            send({ type: 'email_saved', email: frame.email, attached: stored });
            return;
          }
          case 'csat': {
            await ownConversation(db, me, frame.conversationId);
            const outcome = await answerCsatInChat(
              db,
              {
                workspaceId: me.workspaceId,
                ticketId: frame.conversationId,
                score: frame.score,
                comment: frame.comment,
              },
              deps.clock.now(),
            );
            send({ type: 'csat_saved', conversationId: frame.conversationId, status: outcome.status });
            return;
          }
        }
      }

      socket.on('message', (raw: RawData, isBinary: boolean) => {
        const size = Array.isArray(raw) ? raw.reduce((n, b) => n + b.length, 0) : raw.byteLength;
        if (size > maxFrameBytes) return socket.close(CLOSE.tooBig, 'Message too large');
        if (!frameBuckets.take(`${address}/${request.id}`))
          return socket.close(CLOSE.tooManyMessages, 'Too many frames');
        if (isBinary) return sendError('validation_failed', 'Send JSON text frames');
        const json = parseJson(withoutNulEscapes(raw.toString()));
        queue = queue
          .then(async () => {
            if (closed) return;
            if (!visitor) return identify(json);
            const parsed = clientFrame.safeParse(json);
            if (!parsed.success)
              return sendError('validation_failed', `Not a valid frame (${issuesOf(parsed.error)})`);
            await handleFrame(parsed.data);
          })
          .catch((error: unknown) => {
            if (error instanceof DomainError) return sendError(error.code, error.message);
            log.error({ err: error }, 'chat frame failed');
            sendError('internal', 'Something went wrong; send it again');
          });
      });

      socket.on('pong', () => {
        alive = true;
      });
      const heartbeat = setInterval(() => {
        if (!alive) return socket.terminate();
        alive = false;
        socket.ping();
      }, heartbeatMs);
      heartbeat.unref();

      socket.on('error', (error) => log.debug({ err: error }, 'chat socket error'));
      socket.on('close', () => {
        closed = true;
        clearTimeout(identifyTimer);
        clearInterval(heartbeat);
        connected.delete(socket);
        frameBuckets.forget(`${address}/${request.id}`);
        for (const entry of watches.values()) entry.stop();
        if (visitor) {
          const last = presence();
          void queue
            .then(() => visitorConnection(db, last, -1))
            .catch((error: unknown) => log.warn({ err: error }, 'could not record a chat disconnect'));
        }
        watches.clear();
      });
    },
  };
}
