import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testApp, testDeps } from '../../test/support/http.ts';
import { customers, surveyInvitations } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { runCampaign, scanCampaigns } from './campaign-jobs.ts';
import { answerSurvey, surveyLinks } from './survey-service.ts';

const START = new Date('2026-06-01T09:00:00Z');
const DAY = 86_400_000;

describeEachDatabase('NPS and CES campaign statistics', (kind: DatabaseKind) => {
  let database: Database;
  let app: App;
  const clock = fixedClock(START);
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    deps = testDeps(database, { clock });
    app = await testApp(database, { clock });
  });
  afterAll(() => app.close());

  it('counts sent, suppressed and answered surveys, the response rate and the NPS or CES of each', async () => {
    clock.set(START);
    const { db } = database;
    const { workspace, admin } = await makeWorkspace(db);
    const headers = await bearerFor(database, admin.actor);
    const scope = { workspaceId: workspace.id };
    const customerIds: string[] = [];
    for (let i = 0; i < 5; i++) customerIds.push((await makeTicket(db, admin.actor)).customerId);
    const tag = (ids: string[], tags: string[]) =>
      db.update(customers).set({ tags }).where(inArray(customers.id, ids));
    // Four VIPs, one surveyed 30 days ago by hand; the fifth customer is in the effort segment.
    await tag(customerIds.slice(0, 4), ['vip']);
    await tag(customerIds.slice(4), ['effort']);
    await db.insert(surveyInvitations).values({
      workspaceId: workspace.id,
      kind: 'nps',
      customerId: customerIds[3]!,
      expiresAt: new Date(START.getTime() - 20 * DAY),
      createdAt: new Date(START.getTime() - 30 * DAY),
    });
    const create = (payload: object) =>
      app.inject({ method: 'POST', url: '/api/v1/survey-campaigns', headers, payload });
    const nps = (
      await create({ name: 'NPS', kind: 'nps', segment: { tags: ['vip'] }, startAt: START.toISOString() })
    ).json().id as string;
    const ces = (
      await create({
        name: 'Effort',
        kind: 'ces',
        segment: { tags: ['effort'] },
        startAt: START.toISOString(),
      })
    ).json().id as string;

    const run = async () => {
      expect(await scanCampaigns(deps, scope)).toBe(2);
      await runCampaign(deps, { ...scope, campaignId: nps, runAt: clock.now().toISOString() });
      await runCampaign(deps, { ...scope, campaignId: ces, runAt: clock.now().toISOString() });
    };
    clock.set(new Date(START.getTime() + 60_000));
    await run();
    // Repeating a run changes nothing: whoever it reached is neither surveyed again nor suppressed.
    await runCampaign(deps, { ...scope, campaignId: nps, runAt: clock.now().toISOString() });

    const answer = async (campaignId: string, customerId: string, score: number) => {
      const [invitation] = await db
        .select()
        .from(surveyInvitations)
        .where(
          and(eq(surveyInvitations.campaignId, campaignId), eq(surveyInvitations.customerId, customerId)),
        );
      const links = surveyLinks(deps.secretBox, 'https://help.example.test', invitation!);
      const link = links.find((entry) => entry.score === score)!;
      const token = new URL(link.url).searchParams.get('t')!;
      expect(await answerSurvey(db, deps.secretBox, token, clock.now())).toMatchObject({
        status: 'recorded',
      });
    };
    await answer(nps, customerIds[0]!, 10);
    await answer(nps, customerIds[1]!, 4);
    await answer(ces, customerIds[4]!, 6);

    const stats = async () => {
      const response = await app.inject({ url: '/api/v1/survey-campaigns/stats', headers });
      expect(response.statusCode, response.body).toBe(200);
      const data = response.json().data as { campaignId: string }[];
      return (id: string) => data.find((row) => row.campaignId === id);
    };
    let of = await stats();
    // Three VIPs sent, the fourth suppressed; a promoter and a detractor of two answers: NPS 0.
    expect(of(nps)).toEqual({
      campaignId: nps,
      kind: 'nps',
      sent: 3,
      suppressed: 1,
      answered: 2,
      responseRate: 2 / 3,
      nps: { promoters: 1, passives: 0, detractors: 1, score: 0 },
      ces: null,
    });
    expect(of(ces)).toEqual({
      campaignId: ces,
      kind: 'ces',
      sent: 1,
      suppressed: 0,
      answered: 1,
      responseRate: 1,
      nps: null,
      ces: { mean: 6 },
    });

    // A month later every VIP is within the 90 days: four more suppressed, none sent.
    clock.set(new Date(START.getTime() + 31 * DAY));
    await run();
    of = await stats();
    expect(of(nps)).toMatchObject({ sent: 3, suppressed: 5, answered: 2 });

    // Agents do not see them; another workspace's admin sees only its own.
    const agent = await makeUser(db, workspace.id, 'agent');
    const denied = await app.inject({
      url: '/api/v1/survey-campaigns/stats',
      headers: await bearerFor(database, agent.actor),
    });
    expect(denied.statusCode).toBe(403);
    const other = await makeWorkspace(db);
    const theirs = await app.inject({
      url: '/api/v1/survey-campaigns/stats',
      headers: await bearerFor(database, other.admin.actor),
    });
    expect(theirs.json()).toEqual({ data: [] });
  });
});
