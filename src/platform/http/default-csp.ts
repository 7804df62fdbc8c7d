import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const HEAD_STYLES = /<style>([\s\S]*?)<\/style>/g;

/**
 * The policy of an HTML page that set none: no script at all, no framing, forms posting only back here,
 * and only the style blocks of the page's own head (allowed by hash), so markup that reaches the body
 * cannot add any.
 */
export function defaultPolicy(html: string): string {
  const head = html.slice(0, Math.max(0, html.indexOf('</head>')));
  const hashes = [...head.matchAll(HEAD_STYLES)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1]!).digest('base64')}'`,
  );
  return [
    "default-src 'none'",
    `style-src ${hashes.length > 0 ? [...new Set(hashes)].join(' ') : "'none'"}`,
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Every HTML answer carries a Content-Security-Policy: pages that need more (the console, the help
 * center) set their own; small pages a capability adds (survey answers, opt-outs) get the default.
 */
export function registerDefaultContentSecurityPolicy(app: FastifyInstance) {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.hasHeader('content-security-policy') || typeof payload !== 'string') return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    reply.header('content-security-policy', defaultPolicy(payload));
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });
}
