import type { FastifyBaseLogger } from 'fastify';
import type { Database, Db } from '../db/database.ts';
import type { OutboxEvent } from '../outbox/outbox.ts';
import type { OutboxHandler } from '../outbox/relay.ts';
import {
  createPostgresTransport,
  type FanOutTransport,
  notifyRealtime,
  REALTIME_CHANNEL,
} from './transport.ts';

export { REALTIME_CHANNEL };

// PostgreSQL refuses NOTIFY payloads from 8000 bytes up; larger events go out as a reference (on every
// transport, so what a socket receives does not depend on the deployment).
const MAX_PAYLOAD = 7000;

export type RealtimeMessage = {
  workspaceId: string;
  type: string;
  eventId?: number;
  data: Record<string, unknown>;
};

type Subscriber = (message: RealtimeMessage) => void;

/**
 * Delivers workspace events to this process's sockets. Messages travel through the fan-out transport
 * (PostgreSQL NOTIFY unless configured otherwise), so every node sees what any node publishes.
 */
export function createRealtimeHub(
  database: Database,
  logger: FastifyBaseLogger,
  transport: FanOutTransport = createPostgresTransport(database),
) {
  const subscribers = new Map<string, Set<Subscriber>>();
  let unlisten: (() => Promise<void>) | undefined;

  function dispatch(payload: string) {
    let message: RealtimeMessage;
    try {
      message = JSON.parse(payload) as RealtimeMessage;
    } catch {
      logger.warn('ignored a malformed realtime payload');
      return;
    }
    for (const subscriber of subscribers.get(message.workspaceId) ?? []) subscriber(message);
  }

  return {
    async start() {
      unlisten ??= await transport.subscribe(dispatch);
    },
    async stop() {
      await unlisten?.();
      unlisten = undefined;
    },
    subscribe(workspaceId: string, subscriber: Subscriber): () => void {
      const set = subscribers.get(workspaceId) ?? new Set<Subscriber>();
      set.add(subscriber);
      subscribers.set(workspaceId, set);
      return () => {
        set.delete(subscriber);
        if (set.size === 0) subscribers.delete(workspaceId);
      };
    },
    /** Ephemeral signals (typing, viewing) that need no outbox: they are worthless after a second. */
    publish: (db: Db, message: RealtimeMessage) => transport.publish(db, [realtimePayload(message)]),
    connectionCount: () => [...subscribers.values()].reduce((n, set) => n + set.size, 0),
  };
}

export type RealtimeHub = ReturnType<typeof createRealtimeHub>;

function realtimePayload(message: RealtimeMessage): string {
  const payload = JSON.stringify(message);
  if (payload.length <= MAX_PAYLOAD) return payload;
  const ticket = message.data.ticket as { id?: unknown } | undefined;
  return JSON.stringify({
    ...message,
    data: { truncated: true, id: message.data.id, ticketId: ticket?.id },
  });
}

// What publishRealtime and the outbox fan-out send through; the server routes it (one per process).
let routed: FanOutTransport | undefined;

/** Sends this process's realtime publishes through `transport` until the returned function is called. */
export function routeRealtimeThrough(transport: FanOutTransport): () => void {
  routed = transport;
  return () => {
    if (routed === transport) routed = undefined;
  };
}

const send = (db: Db, payloads: string[]) =>
  routed ? routed.publish(db, payloads) : notifyRealtime(db, payloads);

export async function publishRealtime(db: Db, message: RealtimeMessage): Promise<void> {
  await send(db, [realtimePayload(message)]);
}

const messageOf = (event: OutboxEvent): RealtimeMessage => ({
  workspaceId: event.workspaceId,
  type: event.type,
  eventId: event.id,
  data: event.payload,
});

/** Fans every domain event out to the workspace's connected agents once it has committed. */
export const realtimeFanOut: OutboxHandler = {
  name: 'realtime',
  handles: () => true,
  handle: (tx, event) => publishRealtime(tx, messageOf(event)),
  handleBatch: (tx, events) =>
    send(
      tx,
      events.map((event) => realtimePayload(messageOf(event))),
    ),
};
