import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { createNatsTransport } from './nats-transport.ts';
import { createRedisTransport } from './redis-transport.ts';
import { createPostgresTransport, type FanOutTransport } from './transport.ts';

/** The fan-out transport RAPPORT_FANOUT names; connects before returning, so a bad URL fails startup. */
export async function fanOutFromConfig(
  config: Pick<Config, 'RAPPORT_FANOUT' | 'REDIS_URL' | 'NATS_URL'>,
  database: Database,
  logger: FastifyBaseLogger,
): Promise<FanOutTransport> {
  switch (config.RAPPORT_FANOUT) {
    case 'redis':
      return createRedisTransport({ url: config.REDIS_URL, logger });
    case 'nats':
      return createNatsTransport({ url: config.NATS_URL, logger });
    default:
      return createPostgresTransport(database);
  }
}
