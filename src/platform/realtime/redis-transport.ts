import type { FastifyBaseLogger } from 'fastify';
import { createClient } from 'redis';
import { redactedUrl } from '../redacted-url.ts';
import { type FanOutTransport, REALTIME_CHANNEL } from './transport.ts';

const newClient = (url: string, name: string, connected: () => boolean) =>
  createClient({
    url,
    name,
    // Fail fast while down rather than queue without bound; see FanOutTransport.publish.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5000,
      // Once connected, retry forever; a server that never answered fails startup with the reason.
      reconnectStrategy: (retries, cause) =>
        connected() || retries < 5
          ? Math.min(100 * 2 ** retries, 2000)
          : new Error(
              `Redis at ${redactedUrl(url, 'REDIS_URL')} does not answer (RAPPORT_FANOUT=redis): ${cause.message}`,
            ),
    },
  });
type Client = ReturnType<typeof newClient>;

/**
 * Redis pub/sub: one connection publishes, a second one (a subscribed Redis connection can do nothing
 * else) subscribes. Both reconnect by themselves and the subscriber resubscribes.
 */
export async function createRedisTransport(options: {
  url: string;
  logger: FastifyBaseLogger;
  channel?: string;
  /** Shown by CLIENT LIST, so an operator can tell Rapport's connections apart. */
  clientName?: string;
}): Promise<FanOutTransport> {
  const { url, logger } = options;
  const channel = options.channel ?? REALTIME_CHANNEL;
  const connect = async (role: string): Promise<Client> => {
    let ready = false;
    const client = newClient(url, options.clientName ?? 'rapport', () => ready);
    // Without a listener an error event would crash the process; reconnecting is the client's job.
    let lastError = '';
    client.on('error', (error: Error) => {
      if (error.message !== lastError) logger.warn({ err: error, role }, 'redis fan-out connection error');
      lastError = error.message;
    });
    client.on('ready', () => {
      ready = true;
      lastError = '';
    });
    await client.connect();
    return client;
  };
  const publisher = await connect('publish');
  let subscriber: Client | undefined;

  return {
    kind: 'redis',
    async publish(_db, payloads) {
      if (!publisher.isReady) {
        logger.warn({ dropped: payloads.length }, 'redis fan-out is disconnected; realtime messages dropped');
        return;
      }
      // Commands on one connection keep their order; node-redis pipelines the ones sent in one tick.
      await Promise.all(payloads.map((payload) => publisher.publish(channel, payload))).catch((error) =>
        logger.warn({ err: error }, 'redis fan-out publish failed; realtime messages dropped'),
      );
    },
    async subscribe(onPayload) {
      subscriber ??= await connect('subscribe');
      const listener = (payload: string) => onPayload(payload);
      await subscriber.subscribe(channel, listener);
      return async () => {
        await subscriber?.unsubscribe(channel, listener).catch(() => {});
      };
    },
    async close() {
      for (const client of [subscriber, publisher]) if (client?.isOpen) await client.close();
      subscriber = undefined;
    },
  };
}
