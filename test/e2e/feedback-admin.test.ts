import { mkdirSync } from 'node:fs';
import { and, eq, inArray } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, feedbackItems, feedbackThemes, surveyInvitations } from '../../src/db/schema/index.ts';
import { runCampaign, scanCampaigns } from '../../src/feedback/campaign-jobs.ts';
import { answerSurvey, surveyLinks } from '../../src/feedback/survey-service.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { InlineQueue } from '../../src/platform/queue/inline-queue.ts';
import { browserAvailable, launchBrowser, signInToConsole, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeTicket, makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

describe.runIf(browserAvailable())('Admin → Feedback in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let world: Awaited<ReturnType<typeof makeWorkspace>>;
  const customerIds: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const { db } = database;
    world = await makeWorkspace(db);
    // Two VIP customers to survey, and a theme of three complaints about sizes.
    for (let i = 0; i < 2; i++)
      customerIds.push(
        (
          await makeTicket(db, world.admin.actor, {
            customer: { email: `vip${i}@example.test`, name: `Vip ${i}` },
          })
        ).customerId,
      );
    await db
      .update(customers)
      .set({ tags: ['vip'] })
      .where(inArray(customers.id, customerIds));
    const [theme] = await db
      .insert(feedbackThemes)
      .values({
        workspaceId: world.workspace.id,
        label: 'small size run',
        terms: ['size', 'small'],
        alertedAt: new Date(),
      })
      .returning();
    await db.insert(feedbackItems).values(
      ['Runs small', 'The size is too small', 'Size chart lies'].map((body) => ({
        workspaceId: world.workspace.id,
        source: 'review',
        body,
        themeId: theme!.id,
      })),
    );
    live = await startLiveApp(database, world.workspace.id);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it('creates an NPS campaign and sees its statistics, disables it, acknowledges a theme alert and renames the theme', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, world.admin.email, TEST_PASSWORD);
    await page.goto(`${live.url}/admin/feedback`);
    await page.getByRole('heading', { name: 'NPS and CES campaigns' }).waitFor();

    await page.getByRole('button', { name: 'New campaign' }).click();
    const dialog = page.getByRole('dialog', { name: 'New campaign' });
    await dialog.getByLabel('Name').fill('Quarterly NPS');
    await dialog.getByLabel('Segment').fill('vip');
    await dialog.getByLabel('Suppression (days)').fill('60');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').getByText('Campaign Quarterly NPS created').waitFor();
    const row = page.locator('tr[data-campaign="Quarterly NPS"]');
    const stat = (name: string) => row.locator(`[data-stat="${name}"]`);
    expect(await stat('sent').textContent()).toBe('0');

    // The worker's run: the first run is due today; one VIP answers 9 from the email's link.
    const { deps } = live;
    const queue = deps.queue as InlineQueue;
    await queue.work('feedback.campaign_run', async (job) => {
      await runCampaign(deps, job);
    });
    expect(await scanCampaigns(deps, { workspaceId: world.workspace.id })).toBe(1);
    await queue.runDue();
    const [invitation] = await database.db
      .select()
      .from(surveyInvitations)
      .where(
        and(
          eq(surveyInvitations.workspaceId, world.workspace.id),
          eq(surveyInvitations.customerId, customerIds[0]!),
        ),
      );
    const link = surveyLinks(deps.secretBox, live.url, invitation!).find((entry) => entry.score === 9)!;
    const token = new URL(link.url).searchParams.get('t')!;
    expect(await answerSurvey(database.db, deps.secretBox, token, new Date())).toMatchObject({
      status: 'recorded',
    });

    await page.reload();
    await expect.poll(() => stat('sent').textContent()).toBe('2');
    expect(await stat('suppressed').textContent()).toBe('0');
    expect(await stat('answered').textContent()).toBe('1');
    expect(await stat('rate').textContent()).toBe('50%');
    expect(await stat('score').textContent()).toBe('NPS 100 1 / 0 / 0');
    await row.getByRole('button', { name: 'Disable: Quarterly NPS' }).click();
    await page.getByRole('status').getByText('Campaign Quarterly NPS disabled').waitFor();
    await row.getByText('Disabled', { exact: true }).waitFor();

    const themes = page.getByRole('region', { name: 'Feedback themes' });
    await themes.getByText('Rising', { exact: true }).waitFor();
    await themes.getByRole('button', { name: 'Acknowledge: small size run' }).click();
    await page.getByRole('status').getByText('Alert on small size run acknowledged').waitFor();
    await themes.getByText('Rising', { exact: true }).waitFor({ state: 'detached' });
    await themes.getByRole('button', { name: 'Rename: small size run' }).click();
    await themes.getByLabel('New name for small size run').fill('Sizing');
    await themes.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Theme renamed to Sizing').waitFor();
    await themes.getByText('Sizing', { exact: true }).waitFor();
    const action = themes.getByRole('form', { name: 'Link action: Sizing' });
    await action.getByLabel('What was done').fill('Added a size guide');
    await action.getByLabel('When').fill(new Date().toISOString().slice(0, 10));
    await action.getByRole('button', { name: 'Link action' }).click();
    await themes.getByText(/^Added a size guide on \d{4}-\d{2}-\d{2}:/).waitFor();
    await page.screenshot({ path: `${shots}/feedback-admin.png`, fullPage: true });
    expect(problems.unexpected()).toEqual([]);
    await page.close();
  });
});
