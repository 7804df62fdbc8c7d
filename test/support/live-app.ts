import { buildApp } from '../../src/app.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { Deps } from '../../src/platform/deps.ts';
import type { App } from '../../src/platform/http/server.ts';
import { createOutboxRelay } from '../../src/platform/outbox/relay.ts';
import { workerHandlers } from '../../src/workers.ts';
import { testDeps } from './http.ts';

export type LiveApp = { app: App; deps: Deps; url: string; close(): Promise<void> };

/**
 * The app on a real port with its realtime hub and an outbox relay running, as `rapport start` has
 * them; the relay serves one workspace so it leaves other test files' events alone.
 */
export async function startLiveApp(
  database: Database,
  workspaceId: string,
  overrides: Parameters<typeof testDeps>[1] = {},
): Promise<LiveApp> {
  const deps = testDeps(database, overrides);
  const app = await buildApp(deps);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  await deps.hub.start();
  const relay = createOutboxRelay({
    database,
    handlers: workerHandlers(deps),
    logger: deps.logger,
    workspaceId,
    pollMs: 200,
  });
  await relay.start();
  return {
    app,
    deps,
    url,
    async close() {
      await relay.stop();
      await app.close();
      await deps.hub.stop();
    },
  };
}
