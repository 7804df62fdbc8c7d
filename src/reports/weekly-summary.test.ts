import { inArray } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser } from '../../test/support/factories.ts';
import { outboundWorld } from '../../test/support/outbound-email.ts';
import { type SmtpSink, startSmtpSink } from '../../test/support/smtp-sink.ts';
import {
  businessSchedules,
  feedbackItems,
  feedbackThemes,
  surveyResponses,
  tickets,
} from '../db/schema/index.ts';
import { setNotificationPrefs } from '../email/outbound-service.ts';
import { fixedClock } from '../platform/clock.ts';
import type { InlineQueue } from '../platform/queue/inline-queue.ts';
import { startWeeklySummaryJobs } from './weekly-summary-jobs.ts';

// The coming Saturday: the mail sender works on the clock and the rows carry the database's time.
const today = new Date();
const DAY = 86_400_000;
const SATURDAY_UTC = new Date(
  Date.UTC(
    today.getUTCFullYear(),
    today.getUTCMonth(),
    today.getUTCDate() + ((6 - today.getUTCDay() + 7) % 7 || 7),
    12,
  ),
);
// Auckland is 12 or 13 hours ahead: Saturday 12:00 UTC is Sunday there, Sunday 12:00 UTC is Monday.
const SUNDAY_UTC = new Date(SATURDAY_UTC.getTime() + DAY);
const MONDAY = new Date(SATURDAY_UTC.getTime() - 5 * DAY - 12 * 3_600_000);
/** Midnight UTC `day` days after last week's Monday: the afternoon of that day in Auckland. */
const lastWeek = (day: number) => new Date(MONDAY.getTime() + day * DAY);
const weekBefore = (day: number) => lastWeek(day - 7);
const weekOf = MONDAY.toISOString().slice(0, 10);

describeEachDatabase('weekly summary email to admins', (kind) => {
  let sink: SmtpSink;
  afterAll(() => sink?.close());

  it('emails each admin last week’s figures against the week before on their Monday, once', async () => {
    sink = await startSmtpSink();
    const clock = fixedClock(SATURDAY_UTC);
    const world = await outboundWorld(await sharedDatabase(kind), {
      clock,
      env: { RAPPORT_PUBLIC_URL: 'https://help.shop.test' },
    });
    await world.relayThrough(sink);
    const { db, workspace } = world;
    const ws = workspace.id;
    await db.insert(businessSchedules).values({
      workspaceId: ws,
      name: 'Auckland office',
      timeZone: 'Pacific/Auckland',
      hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
    });
    // Last week (Monday to Sunday in Auckland): three tickets; the week before: one.
    const made = [];
    for (let i = 0; i < 4; i++) made.push((await makeTicket(db, world.admin.actor)).id);
    const place = (ids: string[], at: Date) =>
      db.update(tickets).set({ createdAt: at }).where(inArray(tickets.id, ids));
    await place(made.slice(0, 3), lastWeek(1));
    await place(made.slice(3), weekBefore(2));
    const answer = (kindOf: 'csat' | 'nps', score: number, at: Date) => ({
      workspaceId: ws,
      kind: kindOf,
      score,
      source: 'test',
      answeredAt: at,
    });
    await db
      .insert(surveyResponses)
      .values([
        answer('csat', 5, lastWeek(2)),
        answer('csat', 2, lastWeek(2)),
        answer('nps', 10, lastWeek(3)),
        answer('nps', 3, weekBefore(3)),
      ]);
    const [theme] = await db.insert(feedbackThemes).values({ workspaceId: ws, label: 'sizing' }).returning();
    const item = (at: Date) => ({
      workspaceId: ws,
      source: 'review',
      body: 'Too small',
      themeId: theme!.id,
      occurredAt: at,
    });
    await db
      .insert(feedbackItems)
      .values([item(lastWeek(1)), item(lastWeek(2)), item(lastWeek(3)), item(weekBefore(2))]);
    // A second admin turned it off; agents never get it.
    const quiet = await makeUser(db, ws, 'admin');
    await setNotificationPrefs(db, quiet.actor, {
      ticketAssigned: false,
      customerReplied: false,
      weeklySummary: false,
    });

    const queue = world.deps.queue as InlineQueue;
    await startWeeklySummaryJobs(world.deps);
    const run = async () => {
      await queue.send('reports.weekly_summary', { workspaceId: ws });
      await queue.runDue();
      await world.flush();
    };
    const received = () => sink.messages.filter((message) => message.from === world.address);
    // Saturday 12:00 UTC is Sunday in Auckland: nothing yet.
    await run();
    expect(received()).toEqual([]);
    clock.set(SUNDAY_UTC);
    await run();
    await run();
    expect(queue.failed()).toEqual([]);
    expect(received().map((message) => message.to)).toEqual([[world.admin.email]]);
    const mail = await received()[0]!.parsed();
    expect(mail.subject).toBe(`${workspace.name} last week: 3 created, 0 solved (week of ${weekOf})`);
    const text = mail.text ?? '';
    expect(text).toContain(`week of ${weekOf} (Pacific/Auckland)`);
    expect(text).toContain('Created: 3 (week before: 1)');
    expect(text).toContain('CSAT: 50% (week before: —)');
    expect(text).toContain('NPS: 100 (week before: -100)');
    expect(text).toContain('SLA compliance: — (week before: —)');
    expect(text).toContain('- sizing: 3 (week before: 1)');
    expect(text).toContain('Dashboard: https://help.shop.test/reports');
  });
});
