import type { Deps } from '../platform/deps.ts';
import { forbidden } from '../platform/errors.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { themeInsights } from './theme-insights.ts';
import {
  actionBody,
  labelBody,
  presentTheme,
  rebuildResponse,
  themeParams,
  themeResponse,
  themesQuery,
  themesResponse,
} from './theme-schemas.ts';
import {
  acknowledgeThemeAlert,
  rebuildThemes,
  renameTheme,
  setThemeAction,
  themesOf,
} from './theme-service.ts';

const tags = ['feedback'];
const admin = { minRole: 'admin' as const };

/** Feedback themes: list with trends and quotes, improvement actions, and learning them again on demand. */
export async function registerThemeRoutes(app: App, deps: Deps) {
  const { db, clock } = deps;
  // The theme assigner queues its upkeep job inside the relay's transaction.
  await deps.queue.declare(['feedback.themes']);
  const present = async (themes: Awaited<ReturnType<typeof themesOf>>, weeks: number) => {
    const insights = await themeInsights(db, themes, clock.now(), weeks);
    return themes.map((theme) => presentTheme(theme, insights.get(theme.id)));
  };
  app.get(
    '/api/v1/feedback/themes',
    {
      schema: {
        tags,
        description:
          'Themes of negative feedback, largest first: label, size, weekly trend, representative quotes, the linked improvement action with weekly volume before and after, and the last rise alert.',
        querystring: themesQuery,
        response: { 200: themesResponse },
      },
    },
    async (request) => {
      const themes = await themesOf(db, actorOf(request).workspaceId);
      const data = await present(themes, request.query.weeks);
      return { data: data.sort((a, b) => b.size - a.size || a.label.localeCompare(b.label)) };
    },
  );
  app.patch(
    '/api/v1/feedback/themes/:id',
    {
      config: admin,
      schema: {
        tags,
        description: 'Renames the theme; learning themes again keeps the name.',
        params: themeParams,
        body: labelBody,
        response: { 200: themeResponse },
      },
    },
    async (request) => {
      const theme = await renameTheme(
        db,
        actorOf(request),
        request.params.id,
        request.body.label,
        clock.now(),
      );
      return (await present([theme], 8))[0]!;
    },
  );
  app.post(
    '/api/v1/feedback/themes/:id/alert/acknowledge',
    {
      config: admin,
      schema: {
        tags,
        description: 'Marks the theme’s rise alert as seen; the next rise alerts again.',
        params: themeParams,
        response: { 200: themeResponse },
      },
    },
    async (request) => {
      const theme = await acknowledgeThemeAlert(db, actorOf(request), request.params.id, clock.now());
      return (await present([theme], 8))[0]!;
    },
  );
  app.put(
    '/api/v1/feedback/themes/:id/action',
    {
      config: admin,
      schema: {
        tags,
        description: 'Links the theme to an improvement action and its date.',
        params: themeParams,
        body: actionBody,
        response: { 200: themeResponse },
      },
    },
    async (request) => {
      const theme = await setThemeAction(db, actorOf(request), request.params.id, request.body, clock.now());
      return (await present([theme], 8))[0]!;
    },
  );
  app.delete(
    '/api/v1/feedback/themes/:id/action',
    { config: admin, schema: { tags, params: themeParams, response: { 200: themeResponse } } },
    async (request) => {
      const theme = await setThemeAction(db, actorOf(request), request.params.id, null, clock.now());
      return (await present([theme], 8))[0]!;
    },
  );
  app.post(
    '/api/v1/feedback/themes/rebuild',
    {
      config: admin,
      schema: {
        tags,
        description:
          'Learns the themes again from the last 180 days of feedback now (otherwise hourly upkeep does).',
        response: { 200: rebuildResponse },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (actor.role !== 'admin') throw forbidden('Only admins rebuild themes');
      return { themes: (await rebuildThemes(db, actor.workspaceId, clock.now())).length };
    },
  );
}
