import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { App } from '../platform/http/server.ts';
import { widgetFile } from './widget-build.ts';

/**
 * `GET /widget.js`: the embeddable chat widget, public and cacheable. Five minutes of caching with an
 * ETag, since its URL never changes and sites paste it once.
 */
export function registerWidgetRoutes(app: App) {
  const script = existsSync(widgetFile) ? readFileSync(widgetFile) : undefined;
  if (!script)
    app.log.warn(
      'widget/dist is missing: npm start builds it (or npx vite build --config widget/vite.config.ts)',
    );
  const etag = script ? `"${createHash('sha256').update(script).digest('base64url').slice(0, 27)}"` : '';
  app.get('/widget.js', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    if (!script) return reply.status(503).type('text/plain').send('The chat widget is not built yet');
    reply
      .header('cache-control', 'public, max-age=300')
      .header('etag', etag)
      .header('access-control-allow-origin', '*')
      .header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.type('application/javascript; charset=utf-8').send(script);
  });
}
