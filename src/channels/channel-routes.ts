import type { Deps } from '../platform/deps.ts';
import type { App } from '../platform/http/server.ts';
import { registerAccountRoutes } from './account-routes.ts';
import { registerMessagingRoutes } from './messaging-routes.ts';
import { registerPhoneRoutes } from './phone-routes.ts';

/** Phone, messaging platforms and their accounts. */
export async function registerChannelRoutes(app: App, deps: Deps) {
  registerAccountRoutes(app, deps);
  registerPhoneRoutes(app, deps);
  registerMessagingRoutes(app, deps);
}
