import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { bearerFor, testApp } from '../../test/support/http.ts';
import { intelTriageFeedback, intelTriageSuggestions, teams, tickets } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { type KpiInput, kpiReport } from './report-service.ts';
import { march, reportWorld } from './report-world.test-support.ts';

describeEachDatabase('KPI report by agent, team and intent', (kind: DatabaseKind) => {
  let database: Database;
  let world: Awaited<ReturnType<typeof reportWorld>>;
  let input: KpiInput;
  let billingTeam: string;
  let shippingTeam: string;
  const now = march(10, 0);

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    const { db } = database;
    world = await reportWorld(db);
    const ws = world.workspace.id;
    const { a, b, c, d } = world.ids;
    const [billing, shipping] = await db
      .insert(teams)
      .values([
        { workspaceId: ws, name: 'Billing' },
        { workspaceId: ws, name: 'Shipping' },
      ])
      .returning();
    billingTeam = billing!.id;
    shippingTeam = shipping!.id;
    await db
      .update(tickets)
      .set({ teamId: billingTeam })
      .where(inArray(tickets.id, [a, d]));
    await db
      .update(tickets)
      .set({ teamId: shippingTeam })
      .where(inArray(tickets.id, [b]));
    // Triage read A as billing and B and C as shipping; an agent corrected C to billing. D, E, G: never seen.
    const suggestion = (ticketId: string, category: string) => ({
      workspaceId: ws,
      ticketId,
      category,
      confidence: 0.9,
      alternatives: [],
      state: 'applied',
      modelVersion: 1,
    });
    await db
      .insert(intelTriageSuggestions)
      .values([suggestion(a, 'billing'), suggestion(b, 'shipping'), suggestion(c, 'shipping')]);
    await db
      .insert(intelTriageFeedback)
      .values({ workspaceId: ws, ticketId: c, predicted: 'shipping', category: 'billing', text: 'x' });
    input = {
      actor: world.admin.actor,
      workspaceId: ws,
      from: march(3, 0),
      to: march(10, 0),
      groupBy: 'total',
      timeBasis: 'calendar',
      compare: true,
    };
  });

  it('narrows every figure to one agent’s tickets', async () => {
    const one = await kpiReport(database.db, { ...input, agentId: world.agent1.id }, now);
    // agent1 holds A, C and D: all created this week; A and D solved.
    expect([one.totals.created, one.totals.solved, one.totals.reopened]).toEqual([3, 2, 0]);
    // First replies A 60 and C 180 (D is outbound); full resolution A 120, D 180.
    expect(one.totals.firstReply).toMatchObject({ count: 2, medianMinutes: 120 });
    expect(one.totals.fullResolution).toMatchObject({ count: 2, medianMinutes: 150 });
    // A's latest CSAT (5) and D's 4; NPS answers have no ticket, so a ticket filter drops them.
    expect(one.totals.csat).toEqual({ answers: 2, positive: 2, percent: 100 });
    expect(one.totals.nps.answers).toBe(0);
    expect(one.previousTotals?.created).toBe(0);

    const two = await kpiReport(database.db, { ...input, agentId: world.agent2.id }, now);
    // agent2 holds B (reopened once) and G (created the week before, solved this week).
    expect([two.totals.created, two.totals.solved, two.totals.reopened]).toEqual([1, 2, 1]);
    expect(two.totals.fullResolution.medianMinutes).toBe((1290 + 5760) / 2);
    expect(two.totals.csat).toEqual({ answers: 1, positive: 0, percent: 0 });
    expect(two.previousTotals?.created).toBe(1);
  });

  it('narrows every figure to one team’s tickets', async () => {
    const billing = await kpiReport(database.db, { ...input, teamId: billingTeam }, now);
    // A and D: both solved; A in one reply, D in two.
    expect(billing.totals).toMatchObject({ created: 2, solved: 2, oneTouch: 1, oneTouchRate: 0.5 });
    expect(billing.totals.firstReply).toMatchObject({ count: 1, medianMinutes: 60 });
    expect(billing.sla).toEqual([
      { metric: 'first_reply', achieved: 1, breached: 0, compliance: 1 },
      { metric: 'resolution', achieved: 1, breached: 0, compliance: 1 },
    ]);
    const shipping = await kpiReport(database.db, { ...input, teamId: shippingTeam }, now);
    expect(shipping.totals).toMatchObject({ created: 1, solved: 1, reopened: 1, reopenRate: 1 });
    const both = await kpiReport(
      database.db,
      { ...input, teamId: shippingTeam, agentId: world.agent1.id },
      now,
    );
    expect([both.totals.created, both.totals.solved]).toEqual([0, 0]);
  });

  it('groups by the intent triage or an agent gave each ticket', async () => {
    const report = await kpiReport(database.db, { ...input, groupBy: 'intent' }, now);
    const row = (key: string) => report.rows.find((entry) => entry.key === key);
    // billing: A and C (corrected), A solved; shipping: B; none: D, E created, D and G solved.
    expect([row('billing')?.created, row('billing')?.solved]).toEqual([2, 1]);
    expect([row('shipping')?.created, row('shipping')?.solved, row('shipping')?.reopened]).toEqual([1, 1, 1]);
    expect([row('')?.created, row('')?.solved]).toEqual([2, 2]);
    expect(row('billing')?.label).toBe('billing');
    expect(row('billing')?.csat).toEqual({ answers: 1, positive: 1, percent: 100 });
    expect(row('shipping')?.csat.percent).toBe(0);
  });

  describe('over HTTP', () => {
    let app: App;
    beforeAll(async () => {
      app = await testApp(database, { clock: fixedClock(now) });
    });
    afterAll(() => app.close());

    it('takes agent_id, team_id and group_by=intent', async () => {
      const headers = await bearerFor(database, world.admin.actor);
      const period = 'from=2025-03-03T00:00:00Z&to=2025-03-10T00:00:00Z';
      const response = await app.inject({
        url: `/api/v1/reports/kpis?${period}&agent_id=${world.agent1.id}&team_id=${billingTeam}&group_by=intent`,
        headers,
      });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      expect(body.totals).toMatchObject({ created: 2, solved: 2 });
      expect(body.rows.map((r: { key: string; created: number }) => [r.key, r.created])).toEqual([
        ['', 1],
        ['billing', 1],
      ]);
    });
  });
});
