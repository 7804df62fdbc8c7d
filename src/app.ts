import { createRequire } from 'node:module';
import { registerCustomerRoutes } from './customers/customer-routes.ts';
import type { Deps } from './platform/deps.ts';
import { type App, createHttpServer } from './platform/http/server.ts';
import { registerTicketRoutes } from './tickets/ticket-routes.ts';
import { registerAuthRoutes } from './users/auth-routes.ts';
import { registerUserRoutes } from './users/user-routes.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** The composition root: one HTTP app with every capability registered on the shared plumbing. */
export async function buildApp(deps: Deps): Promise<App> {
  const app = await createHttpServer({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    version,
  });
  for (const register of [
    registerAuthRoutes,
    registerUserRoutes,
    registerTicketRoutes,
    registerCustomerRoutes,
  ]) {
    register(app, deps);
  }
  return app;
}
