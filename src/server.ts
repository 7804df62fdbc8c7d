import path from 'node:path';
import { buildApp } from './app.ts';
import { startSmtpIngress } from './email/smtp-server.ts';
import { systemClock } from './platform/clock.ts';
import { type Config, publicUrl } from './platform/config.ts';
import { createSecretBox, loadSecretKey } from './platform/crypto.ts';
import { lockDataDir } from './platform/db/data-dir-lock.ts';
import { openDatabase } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import type { Deps } from './platform/deps.ts';
import { createLogger } from './platform/logger.ts';
import { createMetrics } from './platform/observability/metrics.ts';
import { createOutboxRelay } from './platform/outbox/relay.ts';
import { createPgBossQueue } from './platform/queue/pg-boss-queue.ts';
import { fanOutFromConfig } from './platform/realtime/fan-out-config.ts';
import { createRealtimeHub, routeRealtimeThrough } from './platform/realtime/hub.ts';
import { storageFromConfig } from './platform/storage-config.ts';
import { startWorkers, workerHandlers } from './workers.ts';
import { ensureFirstAdmin, type FirstAdmin } from './workspaces/bootstrap.ts';

export type Running = {
  url: string;
  port: number;
  /** The SMTP server's port, when this process runs the smtp role. */
  smtpPort: number | undefined;
  firstAdmin: FirstAdmin | undefined;
  deps: Deps;
  stop(): Promise<void>;
};

/** Opens the database, migrates, bootstraps an empty install and starts the roles this process runs. */
export async function startRapport(config: Config): Promise<Running> {
  const releaseLock = config.DATABASE_URL ? () => {} : lockDataDir(config.dataDir);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATABASE_URL ? undefined : path.join(config.dataDir, 'pglite'),
    poolSize: config.DATABASE_POOL_SIZE,
  });
  await migrate(database.db);
  const { key } = loadSecretKey(config.RAPPORT_SECRET_KEY, config.dataDir);
  const firstAdmin = await ensureFirstAdmin(database.db, {
    email: config.RAPPORT_ADMIN_EMAIL,
    password: config.RAPPORT_ADMIN_PASSWORD,
  });
  const logger = createLogger(config.LOG_LEVEL);
  const roles = new Set(config.RAPPORT_ROLES);
  // Before anything starts: a broker that does not answer fails startup with the reason.
  const fanOut = await fanOutFromConfig(config, database, logger);
  const unroute = routeRealtimeThrough(fanOut);
  // Every role sends jobs; only worker nodes run them (and pg-boss's maintenance and cron rules).
  const queue = createPgBossQueue({
    database,
    url: config.DATABASE_URL,
    worker: roles.has('worker'),
    logger,
    heartbeatSeconds: config.RAPPORT_JOB_HEARTBEAT_SECONDS,
    superviseIntervalSeconds: config.RAPPORT_JOB_SUPERVISE_SECONDS,
  });
  await queue.start();
  const deps: Deps = {
    config,
    database,
    db: database.db,
    clock: systemClock,
    secretBox: createSecretBox(key),
    hub: createRealtimeHub(database, logger, fanOut),
    logger,
    storage: storageFromConfig(config),
    queue,
    metrics: createMetrics(),
  };
  const app = await buildApp(deps);
  const stops: (() => Promise<void>)[] = [
    () => queue.stop(),
    async () => {
      unroute();
      await fanOut.close();
    },
  ];

  if (roles.has('worker')) {
    const relay = createOutboxRelay({ database, handlers: workerHandlers(deps), logger });
    await relay.start();
    stops.push(() => relay.stop());
    stops.push(await startWorkers(deps));
  }
  let smtpPort: number | undefined;
  if (roles.has('smtp')) {
    const smtp = await startSmtpIngress(deps);
    smtpPort = smtp.port;
    stops.push(() => smtp.close());
  }
  let port = config.PORT;
  if (roles.has('web')) {
    await deps.hub.start();
    stops.push(() => deps.hub.stop());
    await app.listen({ port: config.PORT, host: config.HOST });
    const address = app.server.address();
    if (address && typeof address === 'object') port = address.port;
  }
  return {
    url: publicUrl(config, port),
    port,
    smtpPort,
    firstAdmin,
    deps,
    async stop() {
      await app.close();
      for (const stop of stops.reverse()) await stop();
      await database.close();
      releaseLock();
    },
  };
}
