import { beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { businessSchedules } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import { type KpiInput, kpiReport, percentile } from './report-service.ts';
import { march, reportWorld } from './report-world.test-support.ts';

it('interpolates percentiles between ranks as percentile_cont does', () => {
  expect(percentile([], 0.5)).toBeNull();
  expect(percentile([60, 1020, 180], 0.5)).toBe(180);
  expect(percentile([60, 180, 1020], 0.9)).toBeCloseTo(852);
  expect(percentile([120, 180, 1290, 5760], 0.5)).toBe(735);
});

describeEachDatabase('KPI report', (kind: DatabaseKind) => {
  let database: Database;
  let world: Awaited<ReturnType<typeof reportWorld>>;
  let input: KpiInput;
  const now = march(10, 0);

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    world = await reportWorld(database.db);
    input = {
      actor: world.admin.actor,
      workspaceId: world.workspace.id,
      from: march(3, 0),
      to: march(10, 0),
      groupBy: 'channel',
      timeBasis: 'calendar',
      compare: true,
    };
  });

  it('counts volume, reopens and one-touch resolutions by the definitions', async () => {
    const report = await kpiReport(database.db, input, now);
    const t = report.totals;
    // Created this week: A, B, C, D and E (merged, still a request); F is spam, G came the week before.
    expect(t.created).toBe(5);
    // Solved: A, B, D and G; E was merged (closed, not solved); B counts once though solved twice.
    expect(t.solved).toBe(4);
    expect(t.reopened).toBe(1);
    expect(t.reopenRate).toBe(0.25);
    // One public agent reply: A (the merge notes are internal) and G; B took two, D two.
    expect(t.oneTouch).toBe(2);
    expect(t.oneTouchRate).toBe(0.5);
    expect(report.previousTotals?.created).toBe(1);
    expect(report.previousTotals?.solved).toBe(0);
    const email = report.rows.find((row) => row.key === 'email');
    const chat = report.rows.find((row) => row.key === 'chat');
    expect([email?.created, email?.solved, chat?.created, chat?.solved, chat?.reopened]).toEqual([
      4, 3, 1, 1, 1,
    ]);
  });

  it('measures first reply and resolution times in calendar minutes', async () => {
    const t = (await kpiReport(database.db, input, now)).totals;
    // First replies: A 60 (09:00 → 10:00), C 180 (the bot answer and the note do not count), B 1020
    // (Thu 16:30 → Fri 09:30). D is outbound, E merged. p90 = 180 + 0.8 × (1020 − 180).
    expect(t.firstReply).toEqual({ count: 3, medianMinutes: 180, p90Minutes: expect.closeTo(852, 6) });
    // Full resolution: A 120, D 180, B 1290 (Thu 16:30 → Fri 14:00), G 5760 (Fri → Tue, four days).
    expect(t.fullResolution.medianMinutes).toBe((180 + 1290) / 2);
    expect(t.fullResolution.p90Minutes).toBeCloseTo(1290 + 0.7 * (5760 - 1290), 6);
    // First resolution differs only for B, first solved Fri 10:00: 1050.
    expect(t.firstResolution.medianMinutes).toBe((180 + 1050) / 2);
    expect(t.firstResolution.p90Minutes).toBeCloseTo(1050 + 0.7 * (5760 - 1050), 6);
  });

  it('measures them in business minutes on the workspace calendar', async () => {
    await database.db.insert(businessSchedules).values({
      workspaceId: world.workspace.id,
      name: 'Weekdays',
      timeZone: 'UTC',
      hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
    });
    const t = (await kpiReport(database.db, { ...input, timeBasis: 'business' }, now)).totals;
    // B's first reply: Thu 16:30–17:00 and Fri 09:00–09:30 = 60. A 60, C 180.
    expect(t.firstReply).toEqual({
      count: 3,
      medianMinutes: 60,
      p90Minutes: expect.closeTo(60 + 0.8 * 120, 6),
    });
    // Full: A 120, D 180, B 30 + 300 = 330, G Fri 480 + Mon 480 + Tue before 09:00 0 = 960.
    expect(t.fullResolution.medianMinutes).toBe((180 + 330) / 2);
    expect(t.fullResolution.p90Minutes).toBeCloseTo(330 + 0.7 * (960 - 330), 6);
  });

  it('reports backlog, SLA compliance, CSAT, NPS and CES', async () => {
    const report = await kpiReport(database.db, input, now);
    // Only C is unsolved: opened Tue 09:00, 5 days 15 hours before the report's now.
    expect(report.backlog.total).toMatchObject({ count: 1, medianAgeHours: 135, d3to7: 1 });
    expect(report.backlog.byStatus).toEqual([expect.objectContaining({ status: 'open', count: 1 })]);
    expect(report.sla).toEqual([
      { metric: 'first_reply', achieved: 1, breached: 1, compliance: 0.5 },
      { metric: 'resolution', achieved: 1, breached: 1, compliance: 0.5 },
    ]);
    const t = report.totals;
    // A's latest answer (5) replaces its 2: answers 5, 3, 4 → two of three are 4 or 5.
    expect(t.csat).toEqual({ answers: 3, positive: 2, percent: (100 * 2) / 3 });
    // 10, 9, 7, 3, 0, 10: three promoters, two detractors of six.
    expect(t.nps).toEqual({ answers: 6, promoters: 3, passives: 1, detractors: 2, score: 100 / 6 });
    expect(t.ces).toEqual({ answers: 3, mean: 5, easyShare: 2 / 3 });
    expect(report.botDeflection.rate).toBeNull();
  });

  it('fills the per-agent table and narrows by filters', async () => {
    const report = await kpiReport(database.db, input, now);
    const one = report.agents.find((row) => row.agentId === world.agent1.id);
    const two = report.agents.find((row) => row.agentId === world.agent2.id);
    // agent1 replied on A, C and twice on D; solved A and D. agent2 replied twice on B (G's was last week).
    expect(one).toMatchObject({ solved: 2, replies: 4, csat: { answers: 2, positive: 2, percent: 100 } });
    expect(two).toMatchObject({ solved: 2, replies: 2, csat: { answers: 1, positive: 0, percent: 0 } });
    expect(one?.firstReply.medianMinutes).toBe(120);
    const chat = await kpiReport(database.db, { ...input, channel: 'chat', compare: false }, now);
    expect([chat.totals.created, chat.totals.solved, chat.totals.csat.answers]).toEqual([1, 1, 1]);
    const billing = await kpiReport(database.db, { ...input, tag: 'billing', groupBy: 'day' }, now);
    expect(billing.rows.map((row) => [row.key, row.created, row.solved])).toEqual([['2025-03-03', 1, 1]]);
  });
});
