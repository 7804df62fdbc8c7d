import { sql } from 'drizzle-orm';
import { makePgArray } from 'drizzle-orm/pg-core';
import type { FastifyBaseLogger } from 'fastify';
import { type Database, type Db, notify } from '../db/database.ts';
import type { OutboxEvent } from '../outbox/outbox.ts';
import type { OutboxHandler } from '../outbox/relay.ts';

export const REALTIME_CHANNEL = 'rapport_realtime';
// PostgreSQL refuses NOTIFY payloads from 8000 bytes up; larger events go out as a reference.
const MAX_PAYLOAD = 7000;

export type RealtimeMessage = {
  workspaceId: string;
  type: string;
  eventId?: number;
  data: Record<string, unknown>;
};

type Subscriber = (message: RealtimeMessage) => void;

/**
 * Delivers workspace events to this process's sockets. Messages travel through PostgreSQL NOTIFY,
 * so every node sees what any node publishes.
 */
export function createRealtimeHub(database: Database, logger: FastifyBaseLogger) {
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
      unlisten ??= await database.listen(REALTIME_CHANNEL, dispatch);
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
    publish: (db: Db, message: RealtimeMessage) => publishRealtime(db, message),
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

export async function publishRealtime(db: Db, message: RealtimeMessage): Promise<void> {
  await notify(db, REALTIME_CHANNEL, realtimePayload(message));
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
  // Still one NOTIFY per event (what the hub's listeners expect), but all sent by one statement.
  async handleBatch(tx, events) {
    const payloads = makePgArray(events.map((event) => realtimePayload(messageOf(event))));
    await tx.execute(sql`SELECT pg_notify(${REALTIME_CHANNEL}, payload)
      FROM unnest(${payloads}::text[]) WITH ORDINALITY AS batch (payload, position) ORDER BY position`);
  },
};
