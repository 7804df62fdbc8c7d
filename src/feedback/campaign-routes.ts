import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import {
  type CampaignRow,
  createCampaign,
  DEFAULT_SUPPRESSION_DAYS,
  deleteCampaign,
  listCampaigns,
  updateCampaign,
} from './campaign-service.ts';
import { campaignStats } from './campaign-stats.ts';

const tags = ['feedback'];
const admin = { minRole: 'admin' as const };
const instant = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((value) => new Date(value));

const fields = {
  name: z.string().trim().min(1).max(200),
  kind: z.enum(['nps', 'ces']).describe('NPS (0–10 and why) or CES (1–7)'),
  segment: z.strictObject({
    tags: z.array(z.string().min(1).max(100)).max(50).optional().describe('customers with any of these tags'),
    companyIds: z.array(z.uuid()).max(200).optional(),
  }),
  everyDays: z.int().min(1).max(365),
  suppressionDays: z
    .int()
    .min(0)
    .max(730)
    .describe('no NPS/CES survey to a customer surveyed within this many days'),
  startAt: instant.describe('first run'),
  active: z.boolean(),
};
const campaignBody = z.strictObject({
  ...fields,
  segment: fields.segment.default({}),
  everyDays: fields.everyDays.default(30),
  suppressionDays: fields.suppressionDays.default(DEFAULT_SUPPRESSION_DAYS),
  active: fields.active.default(true),
});
// No defaults here: a field left out of a change stays as it is.
const campaignPatch = z.strictObject(fields).partial();
const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['nps', 'ces']),
  segment: z.object({ tags: z.array(z.string()).optional(), companyIds: z.array(z.string()).optional() }),
  everyDays: z.number(),
  suppressionDays: z.number(),
  nextRunAt: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
});
const params = z.strictObject({ id: z.uuid() });
const statsSchema = z.object({
  campaignId: z.string(),
  kind: z.enum(['nps', 'ces']),
  sent: z.number(),
  suppressed: z.number().describe('segment members skipped because surveyed within the suppression window'),
  answered: z.number(),
  responseRate: z.number().nullable().describe('answered / sent, 0–1'),
  nps: z
    .object({
      promoters: z.number(),
      passives: z.number(),
      detractors: z.number(),
      score: z.number().nullable(),
    })
    .nullable(),
  ces: z.object({ mean: z.number().nullable() }).nullable(),
});

const present = (row: CampaignRow): z.infer<typeof campaignSchema> => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  segment: row.segment,
  everyDays: row.everyDays,
  suppressionDays: row.suppressionDays,
  nextRunAt: row.nextRunAt.toISOString(),
  active: row.active,
  createdAt: row.createdAt.toISOString(),
});

/** NPS and CES campaigns: a segment surveyed on a schedule through the durable queue (admins). */
export async function registerCampaignRoutes(app: App, deps: Deps) {
  const { db, clock } = deps;
  await deps.queue.declare(['feedback.campaign_scan', 'feedback.campaign_run']);
  app.get(
    '/api/v1/survey-campaigns',
    { config: admin, schema: { tags, response: { 200: z.object({ data: z.array(campaignSchema) }) } } },
    async (request) => ({ data: (await listCampaigns(db, actorOf(request))).map(present) }),
  );
  app.get(
    '/api/v1/survey-campaigns/stats',
    {
      config: admin,
      schema: {
        tags,
        description:
          'Per campaign over all its runs: sent, suppressed, answered, response rate, and the NPS split and score or the CES mean.',
        response: { 200: z.object({ data: z.array(statsSchema) }) },
      },
    },
    async (request) => ({ data: await campaignStats(db, actorOf(request)) }),
  );
  app.post(
    '/api/v1/survey-campaigns',
    {
      config: admin,
      schema: {
        tags,
        description:
          'Creates a recurring NPS or CES survey of a customer segment, with suppression (90 days by default).',
        body: campaignBody,
        response: { 201: campaignSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(present(await createCampaign(db, actorOf(request), request.body, clock.now()))),
  );
  app.patch(
    '/api/v1/survey-campaigns/:id',
    {
      config: admin,
      schema: { tags, params, body: campaignPatch, response: { 200: campaignSchema } },
    },
    async (request) =>
      present(await updateCampaign(db, actorOf(request), request.params.id, request.body, clock.now())),
  );
  app.delete(
    '/api/v1/survey-campaigns/:id',
    { config: admin, schema: { tags, params } },
    async (request, reply) => {
      await deleteCampaign(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
