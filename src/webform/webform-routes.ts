import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MAX_FILE_BYTES } from '../attachments/attachment-service.ts';
import { isValidTimeZone } from '../automation/business-time.ts';
import { LOCAL_TIME_PATTERN, PHONE_PATTERN } from '../channels/callback-service.ts';
import { searchScript } from '../helpcenter/helpcenter-html.ts';
import { workspaceParams } from '../helpcenter/helpcenter-schemas.ts';
import { getHelpBrand, type HelpWorkspace, helpWorkspace } from '../helpcenter/helpcenter-service.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Deps } from '../platform/deps.ts';
import { DomainError, type FieldIssue, invalid, notFound } from '../platform/errors.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { originFor, pageUrls, sendHelpPage } from './help-page.ts';
import { checkStamp, newChallenge } from './proof-of-work.ts';
import { FORM_FIELD_LIMIT, FORM_MAX_FILES, readCustomerForm, sendUploads } from './webform-multipart.ts';
import {
  contactContent,
  embedScript,
  embedSnippets,
  formScript,
  formStyles,
  sentContent,
} from './webform-pages.ts';
import { type ContactSubmission, checkContactFields, submitContactForm } from './webform-service.ts';
import {
  type ContactFormSettings,
  fieldValuesFromForm,
  formFields,
  getContactFormSettings,
  MAX_POW_BITS,
  updateContactFormSettings,
} from './webform-settings.ts';
import { formSuggestions } from './webform-suggestions.ts';

/** Per client address: a person writes a few times an hour; a script is stopped after ten. */
export const CONTACT_SUBMIT_LIMIT = { max: 10, timeWindow: '10 minutes' };
const pageLimit = { max: 120, timeWindow: '1 minute' };

// The form asks after each pause in typing, like the help center's search box.
const suggestLimit = { max: 240, timeWindow: '1 minute' };
const suggestQuery = z.object({ q: z.string().max(200).default('') });
const contactQuery = z.object({ q: z.string().max(200).optional().catch(undefined) });
const sentQuery = z.object({
  n: z.coerce.number().int().positive().optional().catch(undefined),
  embed: z.string().optional(),
});
const submission = z.object({
  name: z.string().trim().min(1, 'Tell us your name').max(200),
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email address')
    .pipe(z.email('Enter an email address like you@example.com').max(320)),
  subject: z.string().trim().min(1, 'Give your request a subject').max(200),
  message: z.string().trim().min(1, 'Tell us how we can help').max(20_000),
});

// Asked only when the visitor ticks "call me back"; a zone the browser names wrongly falls back to theirs.
const callbackFields = z.object({
  callback_phone: z.string().trim().regex(PHONE_PATTERN, 'Enter a phone number like +44 20 7946 0958'),
  callback_time: z.string().regex(LOCAL_TIME_PATTERN, 'Choose a day and a time'),
  callback_zone: z
    .string()
    .max(64)
    .optional()
    .transform((zone) => (zone && isValidTimeZone(zone) ? zone : undefined)),
});

const settingsSchema = z.object({
  enabled: z.boolean(),
  powBits: z.number(),
  embedOrigins: z.array(z.string()),
  fieldKeys: z.array(z.string()).nullable(),
  url: z.string(),
  embed: z.object({ script: z.string(), iframe: z.string() }),
});
const settingsPatch = z.strictObject({
  enabled: z.boolean().optional(),
  powBits: z.number().int().min(0).max(MAX_POW_BITS).optional(),
  embedOrigins: z
    .array(z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin))
    .max(20)
    .optional(),
  fieldKeys: z.array(z.string().min(1).max(100)).max(50).nullable().optional(),
});

/** A honeypot filled in: answered like a success, so the robot learns nothing, and nothing is kept. */
class CaughtSpam extends Error {}

const frameAncestors = (settings: ContactFormSettings) =>
  settings.embedOrigins.length ? settings.embedOrigins.join(' ') : '*';

/**
 * The hosted contact form at `/help/:workspace/contact`, its embeddable twin (`/contact/embed`, put on
 * any site by `/contact/embed.js`), and the admin's settings. Submissions open web tickets through the
 * channels' intake after the spam rules: a honeypot, a rate limit per address and an optional hashcash.
 */
export function registerWebFormRoutes(app: App, deps: Deps) {
  const { db, clock, secretBox, config } = deps;

  async function openForm(slug: string) {
    const workspace = await helpWorkspace(db, slug);
    const settings = await getContactFormSettings(db, workspace.id);
    if (!settings.enabled) throw notFound('Contact form');
    return { workspace, settings };
  }

  async function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { workspace: HelpWorkspace; settings: ContactFormSettings },
    view: {
      embedded: boolean;
      values: Record<string, string>;
      error?: { message: string; issues: FieldIssue[] };
      status?: number;
    },
  ) {
    const { workspace, settings } = form;
    const urls = pageUrls(originFor(config, request), workspace);
    const [fields, found] = await Promise.all([
      formFields(db, workspace.id, settings),
      formSuggestions(db, workspace, view.values.subject ?? ''),
    ]);
    const apiBase = `/api/v1/help/${encodeURIComponent(workspace.slug)}`;
    return sendHelpPage(reply, {
      workspace,
      urls,
      title: 'Contact us',
      status: view.status ?? 200,
      styles: formStyles,
      content: contactContent({
        urls,
        fields,
        values: view.values,
        error: view.error,
        suggestions: found.articles,
        challenge: settings.powBits
          ? newChallenge(secretBox, workspace.id, settings.powBits, clock.now())
          : null,
        powBits: settings.powBits,
        embedded: view.embedded,
      }),
      script:
        (view.embedded ? '' : searchScript(apiBase, urls.base)) +
        formScript(`${urls.base}/contact/suggestions`, view.embedded),
      embedded: view.embedded ? { frameAncestors: frameAncestors(settings) } : undefined,
      contactForm: true,
    });
  }

  const route = { config: { public: true, rateLimit: pageLimit }, schema: { hide: true } };

  app.get(
    '/help/:workspace/contact',
    { ...route, schema: { ...route.schema, params: workspaceParams, querystring: contactQuery } },
    async (request, reply) =>
      showForm(request, reply, await openForm(request.params.workspace), {
        embedded: false,
        values: request.query.q ? { subject: request.query.q } : {},
      }),
  );

  app.get(
    '/help/:workspace/contact/embed',
    { ...route, schema: { ...route.schema, params: workspaceParams, querystring: contactQuery } },
    async (request, reply) =>
      showForm(request, reply, await openForm(request.params.workspace), { embedded: true, values: {} }),
  );

  app.get(
    '/help/:workspace/contact/embed.js',
    { ...route, schema: { ...route.schema, params: workspaceParams } },
    async (request, reply) => {
      const { workspace } = await openForm(request.params.workspace);
      return reply
        .header('cache-control', 'public, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .type('text/javascript; charset=utf-8')
        .send(embedScript(originFor(config, request), workspace.slug));
    },
  );

  app.get(
    '/help/:workspace/contact/suggestions',
    {
      config: { public: true, rateLimit: suggestLimit },
      schema: { hide: true, params: workspaceParams, querystring: suggestQuery },
    },
    async (request, reply) => {
      const { workspace } = await openForm(request.params.workspace);
      const found = await formSuggestions(db, workspace, request.query.q);
      return reply.header('cache-control', 'no-store').send({ data: found.articles, source: found.source });
    },
  );

  app.get(
    '/help/:workspace/contact/sent',
    { ...route, schema: { ...route.schema, params: workspaceParams, querystring: sentQuery } },
    async (request, reply) => {
      const { workspace, settings } = await openForm(request.params.workspace);
      const embedded = request.query.embed !== undefined;
      const urls = pageUrls(originFor(config, request), workspace);
      return sendHelpPage(reply, {
        workspace,
        urls,
        title: 'Thank you',
        content: sentContent(urls, request.query.n, embedded),
        script: formScript('', embedded),
        embedded: embedded ? { frameAncestors: frameAncestors(settings) } : undefined,
      });
    },
  );

  app.register(async (scope: App) => {
    await scope.register(multipart, {
      limits: {
        fileSize: MAX_FILE_BYTES,
        files: FORM_MAX_FILES,
        fields: 60,
        fieldSize: FORM_FIELD_LIMIT,
        parts: FORM_MAX_FILES + 60,
      },
    });
    scope.post(
      '/help/:workspace/contact',
      {
        config: { public: true, rateLimit: CONTACT_SUBMIT_LIMIT },
        schema: { hide: true, params: workspaceParams },
      },
      async (request, reply) => {
        const form = await openForm(request.params.workspace);
        const { workspace, settings } = form;
        let values: Record<string, string> = {};
        let stamp: { stampHash: string; expiresAt: Date } | undefined;
        let customFields: Record<string, unknown> = {};
        let core: z.infer<typeof submission> | undefined;
        let callback: ContactSubmission['callback'];
        try {
          const { uploads } = await readCustomerForm(request, deps, workspace.id, async (fields) => {
            values = fields;
            if (fields.website) throw new CaughtSpam();
            if (settings.powBits) {
              const checked = checkStamp(secretBox, {
                workspaceId: workspace.id,
                challenge: fields.pow_challenge ?? '',
                nonce: fields.pow_nonce ?? '',
                bits: settings.powBits,
                now: clock.now(),
              });
              if (!checked.ok) throw invalid(checked.reason, [{ path: 'pow', message: checked.reason }]);
              stamp = checked;
            }
            const parsed = submission.safeParse(fields);
            const asked = fields.callback ? callbackFields.safeParse(fields) : undefined;
            if (!parsed.success || asked?.success === false)
              throw invalid(
                'Some fields need a look',
                [...(parsed.error?.issues ?? []), ...(asked?.error?.issues ?? [])].map((issue) => ({
                  path: issue.path.join('.'),
                  message: issue.message,
                })),
              );
            core = parsed.data;
            callback = asked?.data && {
              phone: asked.data.callback_phone,
              preferredTime: asked.data.callback_time,
              timeZone: asked.data.callback_zone,
            };
            const definitions = await formFields(db, workspace.id, settings);
            customFields = fieldValuesFromForm(definitions, fields);
            await checkContactFields(db, workspace.id, definitions, customFields);
          });
          const created = await sendUploads(deps, workspace.id, uploads, (uploadIds) =>
            submitContactForm(
              db,
              {
                workspaceId: workspace.id,
                ...core!,
                customFields,
                uploadIds,
                stamp,
                embedded: values.embedded === '1',
                callback,
              },
              clock.now(),
            ),
          );
          request.log.info({ ticketId: created.ticketId }, 'contact form opened a ticket');
          return reply.redirect(sentUrl(workspace.slug, created.number, values.embedded === '1'), 303);
        } catch (error) {
          if (error instanceof CaughtSpam) {
            request.log.info({ workspaceId: workspace.id }, 'contact form honeypot filled: dropped');
            return reply.redirect(sentUrl(workspace.slug, undefined, values.embedded === '1'), 303);
          }
          if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
          return showForm(request, reply, form, {
            embedded: values.embedded === '1',
            values,
            error: { message: error.message, issues: error.issues ?? [] },
            status: 400,
          });
        }
      },
    );
  });

  const present = (settings: ContactFormSettings, request: FastifyRequest, slug: string) => {
    const snippets = embedSnippets(originFor(config, request), slug);
    return { ...settings, url: snippets.url, embed: { script: snippets.script, iframe: snippets.iframe } };
  };
  const tags = ['help center'];

  app.get(
    '/api/v1/contact-form/settings',
    {
      schema: {
        tags,
        description: "The contact form's settings, its URL and the snippets that embed it in another site.",
        response: { 200: settingsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const [settings, slug] = await Promise.all([
        getContactFormSettings(db, actor.workspaceId),
        workspaceSlug(actor),
      ]);
      return present(settings, request, slug);
    },
  );

  app.patch(
    '/api/v1/contact-form/settings',
    {
      config: { minRole: 'admin' },
      schema: {
        tags,
        description:
          'Switches the form on or off, sets the proof-of-work difficulty (leading zero bits, 0 for none), ' +
          'the sites that may frame it (none listed: any) and which ticket fields it asks for.',
        body: settingsPatch,
        response: { 200: settingsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const settings = await updateContactFormSettings(db, actor, request.body);
      return present(settings, request, await workspaceSlug(actor));
    },
  );

  const workspaceSlug = async (actor: Actor) => (await getHelpBrand(db, actor)).slug;
}

const sentUrl = (slug: string, number: number | undefined, embedded: boolean) => {
  const query = new URLSearchParams();
  if (number) query.set('n', String(number));
  if (embedded) query.set('embed', '1');
  const search = query.toString();
  return `/help/${encodeURIComponent(slug)}/contact/sent${search ? `?${search}` : ''}`;
};
