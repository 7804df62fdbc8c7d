import type { FastifyBaseLogger } from 'fastify';
import { connect } from 'nats';
import { type FanOutTransport, REALTIME_CHANNEL } from './transport.ts';

/**
 * NATS core subjects: one connection both publishes and subscribes. It reconnects forever and
 * resubscribes by itself; what is published while it reconnects waits in its bounded buffer.
 */
export async function createNatsTransport(options: {
  url: string;
  logger: FastifyBaseLogger;
  subject?: string;
}): Promise<FanOutTransport> {
  const { logger } = options;
  const subject = options.subject ?? REALTIME_CHANNEL.replace('_', '.');
  // Once connected it reconnects forever; a server that never answered fails startup with the reason.
  const connection = await connect({
    servers: options.url.split(',').map((server) => server.trim()),
    name: 'rapport',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    timeout: 5000,
  }).catch((error: Error) => {
    throw new Error(`NATS at ${options.url} does not answer (RAPPORT_FANOUT=nats): ${error.message}`);
  });
  void (async () => {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect' || status.type === 'error') {
        logger.warn({ status: status.type, data: String(status.data) }, 'nats fan-out connection');
      }
    }
  })();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  return {
    kind: 'nats',
    async publish(_db, payloads) {
      try {
        for (const payload of payloads) connection.publish(subject, encoder.encode(payload));
      } catch (error) {
        // Closed, or the reconnect buffer is full.
        logger.warn({ err: error, dropped: payloads.length }, 'nats fan-out publish failed');
      }
    },
    async subscribe(onPayload) {
      const subscription = connection.subscribe(subject);
      void (async () => {
        for await (const message of subscription) onPayload(decoder.decode(message.data));
      })();
      // The subscription is in place once the server has seen it.
      await connection.flush();
      return async () => subscription.unsubscribe();
    },
    async close() {
      if (!connection.isClosed()) await connection.drain();
    },
  };
}
