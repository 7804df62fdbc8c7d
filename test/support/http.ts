import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import { createApiToken } from '../../src/platform/auth/credentials.ts';
import { type Clock, systemClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createSecretBox } from '../../src/platform/crypto.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { Deps } from '../../src/platform/deps.ts';
import type { App } from '../../src/platform/http/server.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createMetrics } from '../../src/platform/observability/metrics.ts';
import { createInlineQueue } from '../../src/platform/queue/inline-queue.ts';
import { createRealtimeHub } from '../../src/platform/realtime/hub.ts';
import { createDiskStorage } from '../../src/platform/storage.ts';
import { makeUser, makeWorkspace } from './factories.ts';

export function testDeps(
  database: Database,
  overrides: { clock?: Clock; env?: Record<string, string> } = {},
): Deps {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const clock = overrides.clock ?? systemClock;
  return {
    // Tests run their receivers on loopback; the guard itself is tested with this switched off.
    config: loadConfig({
      RAPPORT_DATA_DIR: '/tmp/rapport-test-unused',
      RAPPORT_ALLOW_PRIVATE_TARGETS: 'true',
      ...overrides.env,
    }),
    database,
    db: database.db,
    clock,
    secretBox: createSecretBox(Buffer.alloc(32, 7)),
    hub: createRealtimeHub(database, logger),
    logger,
    storage: createDiskStorage(mkdtempSync(path.join(tmpdir(), 'rapport-test-files-'))),
    queue: createInlineQueue(clock),
    metrics: createMetrics({ defaultMetrics: false }),
  };
}

/** The real app on the real database, driven through Fastify's inject (no port needed). */
export async function testApp(
  database: Database,
  overrides: Parameters<typeof testDeps>[1] = {},
): Promise<App> {
  const app = await buildApp(testDeps(database, overrides));
  await app.ready();
  return app;
}

export async function bearerFor(database: Database, actor: Actor): Promise<Record<string, string>> {
  const { token } = await createApiToken(database.db, {
    userId: actor.userId,
    workspaceId: actor.workspaceId,
    name: 'test',
  });
  return { authorization: `Bearer ${token}` };
}

/** A fresh workspace whose admin calls the API with a bearer token: the usual start of a route test. */
export async function signedInWorkspace(database: Database) {
  const { workspace, admin } = await makeWorkspace(database.db);
  return { workspace, admin, headers: await bearerFor(database, admin.actor) };
}

/** A fresh workspace with an admin, an agent and a light agent, each with bearer headers. */
export async function signedInTeam(database: Database) {
  const { workspace, admin } = await makeWorkspace(database.db);
  const agent = await makeUser(database.db, workspace.id, 'agent');
  const light = await makeUser(database.db, workspace.id, 'light');
  return {
    workspace,
    admin: { ...admin, headers: await bearerFor(database, admin.actor) },
    agent: { ...agent, headers: await bearerFor(database, agent.actor) },
    light: { ...light, headers: await bearerFor(database, light.actor) },
  };
}
