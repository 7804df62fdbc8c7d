import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testDeps } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { feedbackItems, outboundEmails, outbox } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { createInlineQueue } from '../platform/queue/inline-queue.ts';
import { insertFeedbackItem } from './feedback-items.ts';
import { runThemesUpkeep, themeAssigner } from './theme-jobs.ts';
import { topics } from './theme-world.test-support.ts';

const NOW = new Date('2026-05-20T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describeEachDatabase('feedback themes', (kind: DatabaseKind) => {
  let database: Database;
  let app: App;
  const clock = fixedClock(NOW);
  const queue = createInlineQueue(clock);
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    deps = { ...testDeps(database, { clock }), queue };
    app = await buildApp(deps);
    await app.ready();
  });
  afterAll(() => app.close());

  const relay = (workspaceId: string) =>
    createOutboxRelay({
      database,
      handlers: [themeAssigner(queue)],
      logger: deps.logger,
      workspaceId,
    }).drain();
  const add = (workspaceId: string, body: string, occurredAt: Date, source = 'review') =>
    database.db.transaction((tx) => insertFeedbackItem(tx, { workspaceId, source, body, occurredAt }));

  it('learns themes, files new items as they arrive, alerts on a rise and shows an action’s before and after', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    // Sizing: one item a week, except none 7–14 days ago; late delivery weekly; refunds about one a week.
    const sizingDays = [3, 17, 24, 31, 38, 45, 52, 59];
    for (const [i, text] of topics.sizing.entries()) await add(workspace.id, text, daysAgo(sizingDays[i]!));
    for (const [i, text] of topics.late.entries()) await add(workspace.id, text, daysAgo(2 + i * 7));
    for (const [i, text] of topics.refund.slice(0, 4).entries())
      await add(workspace.id, text, daysAgo(9 + i * 7));
    // No theme exists yet: nothing is filed, and the upkeep job is queued once for the workspace.
    await relay(workspace.id);
    expect(queue.pending().filter((job) => job.name === 'feedback.themes')).toHaveLength(1);
    const first = await runThemesUpkeep(deps, workspace.id);
    expect(first).toMatchObject({ placed: 0, rebuilt: true, alerts: [] });

    const list = async () => {
      const response = await app.inject({ url: '/api/v1/feedback/themes?weeks=4', headers });
      expect(response.statusCode, response.body).toBe(200);
      return response.json().data as {
        id: string;
        label: string;
        size: number;
        trend: { weekStart: string; count: number }[];
        quotes: { body: string }[];
        action: Record<string, unknown> | null;
        alertedAt: string | null;
      }[];
    };
    const themes = await list();
    expect(themes.map((theme) => theme.size)).toEqual([8, 8, 4]);
    const refund = themes.find((theme) => /refund/.test(theme.label))!;
    const sizing = themes.find((theme) => /size|small/.test(theme.label))!;
    expect(refund.quotes).toHaveLength(3);
    expect(refund.quotes.every((quote) => /refund|money/i.test(quote.body))).toBe(true);
    // Weeks start on Monday: 2026-05-18 is this week; refunds 9, 16 and 23 days ago fall in the three before.
    expect(refund.trend).toEqual([
      { weekStart: '2026-04-27', count: 1 },
      { weekStart: '2026-05-04', count: 1 },
      { weekStart: '2026-05-11', count: 1 },
      { weekStart: '2026-05-18', count: 0 },
    ]);

    // Six refund complaints this week arrive one by one: each is filed as it comes, then the rise alerts.
    for (const [i, text] of topics.refund.slice(4).concat(topics.refund.slice(0, 2)).entries())
      await add(workspace.id, `${text}!`, daysAgo(1 + i / 2));
    await relay(workspace.id);
    const spike = await database.db
      .select()
      .from(feedbackItems)
      .where(and(eq(feedbackItems.workspaceId, workspace.id), eq(feedbackItems.themeId, refund.id)));
    expect(spike).toHaveLength(10);
    const second = await runThemesUpkeep(deps, workspace.id);
    // 6 in the last 7 days against 4 items over the 28 days before (1 a week): at least 5 and twice the mean.
    expect(second.alerts).toEqual([{ themeId: refund.id, label: refund.label, lastWeek: 6, weeklyMean: 1 }]);
    const mails = await database.db
      .select()
      .from(outboundEmails)
      .where(eq(outboundEmails.workspaceId, workspace.id));
    expect(mails).toEqual([expect.objectContaining({ toAddresses: [admin.email] })]);
    expect(mails[0]!.subject).toContain(refund.label);
    const events = await database.db.select().from(outbox).where(eq(outbox.workspaceId, workspace.id));
    expect(events.filter((event) => event.type === 'feedback.theme_alert')).toHaveLength(1);
    expect((await runThemesUpkeep(deps, workspace.id)).alerts).toEqual([]);
    expect((await list()).find((theme) => theme.id === refund.id)?.alertedAt).toBe(NOW.toISOString());

    // Size guide added 14 days ago: four items in the 28 days before (1 a week), one since (0.5 a week).
    const linked = await app.inject({
      method: 'PUT',
      url: `/api/v1/feedback/themes/${sizing.id}/action`,
      headers,
      payload: { label: 'Added a size guide', at: daysAgo(14).toISOString() },
    });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().action).toEqual({
      label: 'Added a size guide',
      at: daysAgo(14).toISOString(),
      beforePerWeek: 1,
      afterPerWeek: 0.5,
      weeksAfter: 2,
    });
    // A rebuild continues the same themes: ids and the action survive.
    const rebuilt = await app.inject({ method: 'POST', url: '/api/v1/feedback/themes/rebuild', headers });
    expect(rebuilt.json()).toEqual({ themes: 3 });
    const after = await list();
    expect(after.find((theme) => theme.id === sizing.id)?.action?.label).toBe('Added a size guide');
    expect(after.map((theme) => theme.id).sort()).toEqual(themes.map((theme) => theme.id).sort());
  });

  it('turns complaint tickets into feedback, keeps workspaces apart and checks input', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const other = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    await makeTicket(database.db, admin.actor, {
      subject: 'Refund still missing',
      message: { body: 'I am still waiting for my refund' },
      tags: ['complaint'],
    });
    await makeTicket(database.db, admin.actor, { subject: 'Question', tags: ['billing'] });
    const upkeep = await runThemesUpkeep(deps, workspace.id);
    expect(upkeep.complaints).toBe(1);
    expect((await runThemesUpkeep(deps, workspace.id)).complaints).toBe(0);
    const [item] = await database.db
      .select()
      .from(feedbackItems)
      .where(eq(feedbackItems.workspaceId, workspace.id));
    expect(item).toMatchObject({
      source: 'complaint',
      body: 'Refund still missing\nI am still waiting for my refund',
    });

    for (const [i, text] of topics.late.entries()) await add(other.workspace.id, text, daysAgo(i));
    for (const [i, text] of topics.sizing.entries()) await add(other.workspace.id, text, daysAgo(i));
    await runThemesUpkeep(deps, other.workspace.id);
    const mine = await app.inject({ url: '/api/v1/feedback/themes', headers });
    expect(mine.json().data).toEqual([]);
    const otherThemes = await app.inject({
      url: '/api/v1/feedback/themes',
      headers: await bearerFor(database, other.admin.actor),
    });
    const foreign = otherThemes.json().data[0].id as string;
    const stolen = await app.inject({
      method: 'PUT',
      url: `/api/v1/feedback/themes/${foreign}/action`,
      headers,
      payload: { label: 'x', at: '2026-05-01' },
    });
    expect(stolen.statusCode).toBe(404);
    const bad = await app.inject({
      method: 'PUT',
      url: `/api/v1/feedback/themes/${foreign}/action`,
      headers,
      payload: { label: '', at: 'soon' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((await app.inject({ url: '/api/v1/feedback/themes' })).statusCode).toBe(401);
  });
});
