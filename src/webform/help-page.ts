import type { FastifyReply, FastifyRequest } from 'fastify';
import { contentSecurityPolicy, type Html, layout, newNonce } from '../helpcenter/helpcenter-html.ts';
import { type HelpUrls, helpUrls } from '../helpcenter/helpcenter-pages.ts';
import type { HelpWorkspace } from '../helpcenter/helpcenter-service.ts';
import type { Config } from '../platform/config.ts';

/** The origin links and snippets name: RAPPORT_PUBLIC_URL when set, else the one the browser used. */
export const originFor = (config: Pick<Config, 'RAPPORT_PUBLIC_URL'>, request: FastifyRequest) =>
  config.RAPPORT_PUBLIC_URL?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;

export type HelpPage = {
  workspace: HelpWorkspace;
  urls: HelpUrls;
  title: string;
  content: Html;
  script?: string;
  styles?: string;
  status?: number;
  /** Shown inside another site's frame: no header, and these framing sites allowed. */
  embedded?: { frameAncestors: string } | undefined;
  /** The contact form itself: its footer does not offer "Contact us" again. */
  contactForm?: boolean;
};

export const pageUrls = (origin: string, workspace: HelpWorkspace) => helpUrls(origin, workspace.slug);

/**
 * A private, uncached help-center page (the contact form carries a fresh challenge, the portal a
 * customer's tickets) with the help center's look and its nonce-only CSP.
 */
export function sendHelpPage(reply: FastifyReply, page: HelpPage) {
  const nonce = newNonce();
  const body = layout({
    brand: page.contactForm ? { ...page.workspace.brand, contactUrl: null } : page.workspace.brand,
    base: page.urls.base,
    meta: {
      title: `${page.title} · ${page.workspace.brand.name}`,
      description: page.title,
      canonical: page.urls.origin + page.urls.base,
      noindex: true,
    },
    nonce,
    content: page.content,
    script: page.script ?? '',
    bare: page.embedded !== undefined,
    ...(page.styles && { styles: page.styles }),
  });
  return reply
    .status(page.status ?? 200)
    .header('content-security-policy', contentSecurityPolicy(nonce, page.embedded?.frameAncestors))
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'strict-origin-when-cross-origin')
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(body);
}
