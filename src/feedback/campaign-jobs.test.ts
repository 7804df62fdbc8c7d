import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testDeps } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { customers, feedbackItems, outboundEmails, surveyInvitations } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { createInlineQueue } from '../platform/queue/inline-queue.ts';
import { runCampaign, scanCampaigns } from './campaign-jobs.ts';
import { FORM_RATE_LIMIT } from './survey-routes.ts';
import { surveyLinks } from './survey-service.ts';

const START = new Date('2026-06-01T09:00:00Z');
const DAY = 86_400_000;

describeEachDatabase('NPS campaigns and the public feedback form', (kind: DatabaseKind) => {
  let database: Database;
  let app: App;
  const clock = fixedClock(START);
  const queue = createInlineQueue(clock);
  let deps: ReturnType<typeof testDeps>;
  let address = 0;
  const client = () => `198.51.100.${++address}`;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    deps = { ...testDeps(database, { clock }), queue };
    await queue.declare(['feedback.campaign_run']);
    await queue.work('feedback.campaign_run', async (job) => {
      await runCampaign(deps, job);
    });
    app = await buildApp(deps);
    await app.ready();
  });
  afterAll(() => app.close());

  it('surveys the segment on schedule through the queue, once per 90 days per customer', async () => {
    clock.set(START);
    const { workspace, admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const scope = { workspaceId: workspace.id };
    const people = [];
    for (let i = 0; i < 4; i++) people.push(await makeTicket(database.db, admin.actor));
    const customerIds = people.map((ticket) => ticket.customerId);
    // Three VIPs, one of them surveyed 30 days ago; the fourth customer is not in the segment.
    await database.db
      .update(customers)
      .set({ tags: ['vip'] })
      .where(inArray(customers.id, customerIds.slice(0, 3)));
    await database.db.insert(surveyInvitations).values({
      workspaceId: workspace.id,
      kind: 'nps',
      customerId: customerIds[2]!,
      expiresAt: new Date(START.getTime() - 20 * DAY),
      createdAt: new Date(START.getTime() - 30 * DAY),
    });
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/survey-campaigns',
      headers,
      payload: {
        name: 'Quarterly NPS',
        kind: 'nps',
        segment: { tags: ['vip'] },
        everyDays: 30,
        startAt: START.toISOString(),
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ suppressionDays: 90, everyDays: 30, active: true });
    const campaignId = created.json().id as string;

    const mails = () =>
      database.db.select().from(outboundEmails).where(eq(outboundEmails.workspaceId, workspace.id));
    clock.set(new Date(START.getTime() - 60_000));
    expect(await scanCampaigns(deps, scope)).toBe(0);
    clock.set(new Date(START.getTime() + 60_000));
    expect(await scanCampaigns(deps, scope)).toBe(1);
    expect(await scanCampaigns(deps, scope)).toBe(0);
    await queue.runDue();
    const sent = await mails();
    expect(sent).toHaveLength(2);
    expect(sent[0]!.subject).toMatch(/How likely are you to recommend/);
    expect(sent[0]!.bodyText).toMatch(/10: http\S+\/feedback\/survey\?t=/);
    const invited = await database.db
      .select()
      .from(surveyInvitations)
      .where(eq(surveyInvitations.campaignId, campaignId));
    expect(invited.map((row) => row.customerId).sort()).toEqual(customerIds.slice(0, 2).sort());

    // A month later the next run is due, but every VIP was surveyed within 90 days.
    const listed = await app.inject({ url: '/api/v1/survey-campaigns', headers });
    expect(listed.json().data[0].nextRunAt).toBe(new Date(START.getTime() + 30 * DAY).toISOString());
    clock.set(new Date(START.getTime() + 31 * DAY));
    expect(await scanCampaigns(deps, scope)).toBe(1);
    await queue.runDue();
    expect(await mails()).toHaveLength(2);
    expect(queue.failed()).toEqual([]);

    // The answer page of an NPS link asks why.
    clock.set(new Date(START.getTime() + DAY));
    const link = surveyLinks(deps.secretBox, 'https://help.example.test', invited[0]!)[9]!;
    const answered = await app.inject({
      url: new URL(link.url).pathname + new URL(link.url).search,
      remoteAddress: client(),
    });
    expect(answered.statusCode).toBe(200);
    expect(answered.body).toContain('What is the main reason for your score?');
  });

  it('checks campaign input and keeps workspaces apart', async () => {
    const { admin } = await makeWorkspace(database.db);
    const other = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/survey-campaigns',
      headers,
      payload: { name: 'x', kind: 'csat', startAt: 'tomorrow' },
    });
    expect(bad.statusCode).toBe(400);
    const theirs = await app.inject({
      method: 'POST',
      url: '/api/v1/survey-campaigns',
      headers: await bearerFor(database, other.admin.actor),
      payload: { name: 'CES', kind: 'ces', startAt: '2026-07-01' },
    });
    const id = theirs.json().id as string;
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/survey-campaigns/${id}`,
      headers,
      payload: { active: false },
    });
    expect(patch.statusCode).toBe(404);
    const own = await app.inject({
      method: 'PATCH',
      url: `/api/v1/survey-campaigns/${id}`,
      headers: await bearerFor(database, other.admin.actor),
      payload: { name: 'Effort' },
    });
    expect(own.json()).toMatchObject({ name: 'Effort', kind: 'ces', everyDays: 30, active: true });
  });

  it('takes feedback from the public form, linked to a known customer, rate-limited', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const ticket = await makeTicket(database.db, admin.actor, {
      customer: { email: 'kim@example.test', name: 'Kim' },
    });
    const from = client();
    const page = await app.inject({ url: `/feedback/form/${workspace.slug}`, remoteAddress: from });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post"');
    const post = (payload: string) =>
      app.inject({
        method: 'POST',
        url: `/feedback/form/${workspace.slug}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload,
        remoteAddress: from,
      });
    const sent = await post('body=The+size+guide+is+wrong&rating=2&email=KIM%40example.test');
    expect(sent.statusCode, sent.body).toBe(200);
    expect((await post('body=buy+pills&website=http%3A%2F%2Fspam.test')).statusCode).toBe(200);
    expect((await post('body=&rating=')).statusCode).toBe(400);
    const items = await database.db
      .select()
      .from(feedbackItems)
      .where(eq(feedbackItems.workspaceId, workspace.id));
    expect(items).toEqual([
      expect.objectContaining({
        source: 'form',
        body: 'The size guide is wrong',
        rating: 2,
        customerId: ticket.customerId,
      }),
    ]);
    const missing = await app.inject({ url: '/feedback/form/no-such-place', remoteAddress: client() });
    expect(missing.statusCode).toBe(404);
    // Posted as JSON, the answer is JSON: problem bodies for a missing form or an empty text.
    const json = (slug: string, payload: Record<string, string>) =>
      app.inject({ method: 'POST', url: `/feedback/form/${slug}`, payload, remoteAddress: client() });
    const viaApi = await json(workspace.slug, { body: 'Sizes run small' });
    expect([viaApi.statusCode, viaApi.json()]).toEqual([202, { status: 'recorded' }]);
    const nowhere = await json('no-such-place', { body: 'hello' });
    expect([nowhere.statusCode, nowhere.headers['content-type']]).toEqual([
      404,
      expect.stringContaining('problem+json'),
    ]);
    expect((await json(workspace.slug, { body: ' ' })).statusCode).toBe(400);
    await database.db.delete(feedbackItems).where(eq(feedbackItems.body, 'Sizes run small'));
    for (let i = 3; i < FORM_RATE_LIMIT; i++) await post('body=again');
    expect((await post('body=one+too+many')).statusCode).toBe(429);
    const kept = await database.db
      .select()
      .from(feedbackItems)
      .where(and(eq(feedbackItems.workspaceId, workspace.id), eq(feedbackItems.body, 'one too many')));
    expect(kept).toEqual([]);
  });
});
