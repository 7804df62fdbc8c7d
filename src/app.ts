import { createRequire } from 'node:module';
import { registerCompanyRoutes } from './companies/company-routes.ts';
import { registerConsoleRoutes } from './console/console-routes.ts';
import { registerCustomerRoutes } from './customers/customer-routes.ts';
import { registerFieldRoutes } from './fields/field-routes.ts';
import type { Deps } from './platform/deps.ts';
import { type App, createHttpServer } from './platform/http/server.ts';
import { registerStreamRoutes } from './platform/realtime/stream-routes.ts';
import { registerTagRoutes } from './tags/tag-routes.ts';
import { registerTeamRoutes } from './teams/team-routes.ts';
import { registerTicketRoutes } from './tickets/ticket-routes.ts';
import { registerAuthRoutes } from './users/auth-routes.ts';
import { registerUserRoutes } from './users/user-routes.ts';
import { registerWebhookRoutes } from './webhooks/webhook-routes.ts';
import { registerWorkspaceRoutes } from './workspaces/workspace-routes.ts';

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
    registerWebhookRoutes,
    registerStreamRoutes,
    registerCompanyRoutes,
    registerTeamRoutes,
    registerTagRoutes,
    registerFieldRoutes,
    registerWorkspaceRoutes,
    registerConsoleRoutes,
  ]) {
    register(app, deps);
  }
  return app;
}
