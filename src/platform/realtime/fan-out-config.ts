import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { sendAfterCommit } from './commit-gate.ts';
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
      return sendAfterCommit(await createRedisTransport({ url: config.REDIS_URL, logger }), database, logger);
    case 'nats':
      return sendAfterCommit(await createNatsTransport({ url: config.NATS_URL, logger }), database, logger);
    default:
      return createPostgresTransport(database);
  }
}
