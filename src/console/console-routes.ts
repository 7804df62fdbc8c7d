import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Deps } from '../platform/deps.ts';
import { sendProblem } from '../platform/http/problem.ts';
import type { App } from '../platform/http/server.ts';
import { consoleDist } from './console-build.ts';

// No inline script or style anywhere: React sets styles through the DOM, and message frames load their CSS as a file.
const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; connect-src 'self' ws: wss:; object-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/**
 * Serves the built React console: hashed assets cached for a year, and index.html for every other
 * non-API path so the client router can take it.
 */
export async function registerConsoleRoutes(app: App, _deps: Deps) {
  const index = path.join(consoleDist, 'index.html');
  if (!existsSync(index)) {
    app.log.warn('web/dist is missing: run npm run build:web (npm start builds it)');
    return;
  }
  await app.register(async (assets) => {
    // The console's own files are public: they hold no data, and the login page needs them.
    assets.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await assets.register(fastifyStatic, {
      root: path.join(consoleDist, 'assets'),
      prefix: '/assets/',
      wildcard: false,
      immutable: true,
      maxAge: '365d',
    });
  });
  const html = await readFile(index, 'utf8');
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    if (request.url.startsWith('/api/')) {
      return sendProblem(request, reply, 'not_found', `No route for GET ${request.url.split('?')[0]}`);
    }
    return reply
      .headers(securityHeaders)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(html);
  });
}
