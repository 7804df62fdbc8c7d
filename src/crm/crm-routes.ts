import type { Deps } from '../platform/deps.ts';
import type { App } from '../platform/http/server.ts';
import { registerDuplicateRoutes } from './duplicate-routes.ts';
import { registerEventRoutes } from './event-routes.ts';
import { registerOutreachRoutes } from './outreach-routes.ts';
import { registerProfileRoutes } from './profile-routes.ts';
import { registerRecommendRoutes } from './recommend-routes.ts';

/** Customer 360: business events, profiles and timelines, recommendations, duplicates and outreach. */
export async function registerCrmRoutes(app: App, deps: Deps) {
  registerDuplicateRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerProfileRoutes(app, deps);
  registerRecommendRoutes(app, deps);
  await registerOutreachRoutes(app, deps);
}
