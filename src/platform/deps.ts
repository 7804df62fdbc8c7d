import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { SecretBox } from './crypto.ts';
import type { Database, Db } from './db/database.ts';
import type { Metrics } from './observability/metrics.ts';
import type { Queue } from './queue/queue.ts';
import type { RealtimeHub } from './realtime/hub.ts';
import type { Storage } from './storage.ts';

/** What the composition root hands every capability. */
export type Deps = {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
  secretBox: SecretBox;
  hub: RealtimeHub;
  logger: FastifyBaseLogger;
  storage: Storage;
  queue: Queue;
  metrics: Metrics;
};
