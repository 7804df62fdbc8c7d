import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { page } from '../feedback/survey-pages.ts';
import { publicUrl } from '../platform/config.ts';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { escapeHtml } from '../search/search-highlight.ts';
import { optOut, readOptOut } from './outreach-opt-out.ts';
import { runOutreach } from './outreach-send.ts';
import {
  addCoupons,
  createOutreachCampaign,
  deleteOutreachCampaign,
  getOutreachCampaign,
  listOutreachCampaigns,
  type OutreachCampaign,
  outreachStats,
  updateOutreachCampaign,
} from './outreach-service.ts';

const tags = ['customers'];
const admin = { minRole: 'admin' as const };
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');
const fields = {
  name: z.string().trim().min(1).max(200),
  eventType: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe('the business event that starts a message, e.g. shipment.delayed'),
  channel: z
    .enum(['email', 'chat'])
    .describe("email opens an outbound email; chat writes into the customer's chat"),
  segment: z.strictObject({
    tags: z.array(z.string().min(1).max(100)).max(50).optional(),
    tiers: z.array(z.string().min(1).max(100)).max(20).optional(),
  }),
  subject: z.string().trim().min(1).max(300),
  body: z
    .string()
    .trim()
    .min(1)
    .max(10_000)
    .describe(
      'placeholders: {{customer.first_name}}, {{order.number}}, {{event.KEY}}, {{coupon.code}}, {{x | fallback}}',
    ),
  active: z.boolean(),
  holdoutPercent: z.int().min(0).max(50).describe('share of reachable customers kept as a control group'),
  throttleHours: z
    .int()
    .min(0)
    .max(24 * 14)
    .describe('at most one proactive message per customer in this many hours'),
  quietStart: clockTime.describe("quiet hours start, in the customer's time zone"),
  quietEnd: clockTime,
};
const campaignBody = z.strictObject({
  ...fields,
  channel: fields.channel.default('email'),
  segment: fields.segment.default({}),
  active: fields.active.default(true),
  holdoutPercent: fields.holdoutPercent.default(10),
  throttleHours: fields.throttleHours.default(24),
  quietStart: fields.quietStart.default('21:00'),
  quietEnd: fields.quietEnd.default('08:00'),
});
const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  eventType: z.string(),
  channel: z.enum(['email', 'chat']),
  segment: z.object({ tags: z.array(z.string()).optional(), tiers: z.array(z.string()).optional() }),
  subject: z.string(),
  body: z.string(),
  active: z.boolean(),
  holdoutPercent: z.number(),
  throttleHours: z.number(),
  quietStart: z.string(),
  quietEnd: z.string(),
  createdAt: z.string(),
});
const group = z.object({
  customers: z.number(),
  settled: z.number(),
  openedTicket: z.number(),
  rate: z.number().nullable(),
});
const statsSchema = z.object({
  campaignId: z.string(),
  sent: z.number(),
  heldOut: z.number(),
  skipped: z.record(z.string(), z.number()),
  contacted: group,
  holdout: group,
  difference: z.number().nullable(),
  couponsLeft: z.number(),
});

const present = (row: OutreachCampaign): z.infer<typeof campaignSchema> => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
});

const tokenQuery = z.strictObject({ t: z.string().min(1).max(600) });
const htmlPage = (reply: FastifyReply, status: number, title: string, body: string) => {
  const shown = page(status, title, body);
  return reply
    .status(shown.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(shown.html);
};

/** Proactive campaigns (admins), and the public opt-out link every proactive message carries. */
export async function registerOutreachRoutes(app: App, deps: Deps) {
  const { db, clock, secretBox } = deps;
  // Campaign runs are queued inside the relay's transaction.
  await deps.queue.declare(['outreach.send']);
  const base = '/api/v1/outreach/campaigns';
  app.get(
    base,
    { config: admin, schema: { tags, response: { 200: z.object({ data: z.array(campaignSchema) }) } } },
    async (request) => ({ data: (await listOutreachCampaigns(db, actorOf(request))).map(present) }),
  );
  app.post(
    base,
    {
      config: admin,
      schema: {
        tags,
        description:
          'Creates a proactive campaign: when a business event of `eventType` arrives, the customer gets the message (within consent, throttle and quiet hours), or is held out as the control group.',
        body: campaignBody,
        response: { 201: campaignSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(present(await createOutreachCampaign(db, actorOf(request), request.body))),
  );
  app.get(
    `${base}/:id`,
    { config: admin, schema: { tags, params: idParams, response: { 200: campaignSchema } } },
    async (request) => present(await getOutreachCampaign(db, actorOf(request), request.params.id)),
  );
  app.patch(
    `${base}/:id`,
    {
      config: admin,
      schema: {
        tags,
        params: idParams,
        body: z.strictObject(fields).partial(),
        response: { 200: campaignSchema },
      },
    },
    async (request) =>
      present(await updateOutreachCampaign(db, actorOf(request), request.params.id, request.body)),
  );
  app.delete(`${base}/:id`, { config: admin, schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteOutreachCampaign(db, actorOf(request), request.params.id);
    return reply.status(204).send();
  });
  app.post(
    `${base}/:id/coupons`,
    {
      config: admin,
      schema: {
        tags,
        description: 'Adds unique coupon codes; each message using {{coupon.code}} takes one.',
        params: idParams,
        body: z.strictObject({ codes: z.array(z.string().trim().min(1).max(100)).min(1).max(10_000) }),
        response: { 200: z.object({ added: z.number(), duplicates: z.number(), left: z.number() }) },
      },
    },
    async (request) => addCoupons(db, actorOf(request), request.params.id, request.body.codes),
  );
  app.get(
    `${base}/:id/stats`,
    {
      config: admin,
      schema: {
        tags,
        description:
          'Sent, held out and skipped (by reason), and the share of customers who opened a ticket within 7 days: contacted against the hold-out group.',
        params: idParams,
        response: { 200: statsSchema },
      },
    },
    async (request) => outreachStats(db, actorOf(request), request.params.id, clock.now()),
  );

  // Mail scanners open links: the GET only asks, the button's POST acts.
  const limit = app.rateLimit({ max: 30, timeWindow: '1 minute' });
  const config = { public: true };
  app.get(
    '/outreach/opt-out',
    { config, onRequest: limit, schema: { hide: true, querystring: tokenQuery } },
    async (request, reply) => {
      if (!readOptOut(secretBox, request.query.t))
        return htmlPage(
          reply,
          404,
          'Link not valid',
          '<p>This link is not valid. Please use the link from your message.</p>',
        );
      const action = `/outreach/opt-out?t=${encodeURIComponent(request.query.t)}`;
      return htmlPage(
        reply,
        200,
        'Stop proactive messages',
        `<p>We write first when something affects you, such as a late delivery.</p>
<form method="post" action="${escapeHtml(action)}"><button type="submit">Stop these messages</button></form>`,
      );
    },
  );
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_request, _body, done) => done(null, {}),
    );
    scope.post(
      '/outreach/opt-out',
      { config, onRequest: limit, schema: { hide: true, querystring: tokenQuery } },
      async (request, reply) =>
        (await optOut(db, secretBox, request.query.t))
          ? htmlPage(
              reply,
              200,
              'You will not get these messages again',
              '<p>Your answers to us still reach our team as before.</p>',
            )
          : htmlPage(
              reply,
              404,
              'Link not valid',
              '<p>This link is not valid. Please use the link from your message.</p>',
            ),
    );
  });
}

/** Worker-role registration of the campaign job; the links point at this install's public address. */
export async function startOutreachJobs(deps: Deps): Promise<void> {
  await deps.queue.declare(['outreach.send']);
  const links = { box: deps.secretBox, origin: publicUrl(deps.config) };
  await deps.queue.work('outreach.send', async (job) => {
    await runOutreach(deps.db, links, job, deps.clock.now());
  });
}
