import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyResponses, teams } from '../../src/db/schema/index.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { addMessage } from '../../src/tickets/message-service.ts';
import { updateTicket } from '../../src/tickets/ticket-service.ts';
import { browserAvailable, launchBrowser, signInToConsole, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeTicket, makeUser, makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

describe.runIf(browserAvailable())('the KPI dashboard in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let admin: { email: string };
  let agentName: string;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const world = await makeWorkspace(database.db);
    admin = world.admin;
    const agent = await makeUser(database.db, world.workspace.id, 'agent');
    agentName = agent.name;
    const [team] = await database.db
      .insert(teams)
      .values({ workspaceId: world.workspace.id, name: 'Live chat' })
      .returning();
    // Demo data: three email tickets (two answered once and solved, one rated 5; Parcel 0 is the agent's)
    // and one open chat for the Live chat team.
    for (let i = 0; i < 3; i++) {
      const ticket = await makeTicket(database.db, world.admin.actor, {
        subject: `Parcel ${i}`,
        ...(i === 0 && { assigneeId: agent.id }),
      });
      if (i === 2) continue;
      await addMessage(database.db, world.admin.actor, ticket.id, {
        kind: 'public_reply',
        body: 'On its way!',
      });
      await updateTicket(database.db, world.admin.actor, ticket.id, { status: 'solved' });
      if (i === 0)
        await database.db.insert(surveyResponses).values({
          workspaceId: world.workspace.id,
          kind: 'csat',
          score: 5,
          source: 'email',
          ticketId: ticket.id,
        });
    }
    await makeTicket(database.db, world.admin.actor, {
      subject: 'Chat question',
      channel: 'chat',
      teamId: team!.id,
    });
    live = await startLiveApp(database, world.workspace.id);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it('renders totals and charts, a filter changes them, and a table downloads as CSV', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, admin.email, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Service dashboard' }).waitFor();
    const card = (label: string) => page.locator(`[data-kpi="${label}"] .kpi-value`);
    await expect.poll(() => card('Created').textContent()).toBe('4');
    expect(await card('Solved').textContent()).toBe('2');
    expect(await card('One-touch resolution').textContent()).toBe('100%');
    expect(await card('CSAT').textContent()).toBe('100%');
    // uPlot draws each chart on a canvas.
    await page
      .getByRole('img', { name: /Created and solved by day/ })
      .locator('canvas')
      .waitFor();
    await page.screenshot({ path: `${shots}/dashboard.png`, fullPage: true });

    const filters = page.getByRole('form', { name: 'Filters' });
    await filters.locator('select[name=channel]').selectOption('chat');
    await expect.poll(() => card('Created').textContent()).toBe('1');
    expect(await card('Solved').textContent()).toBe('0');
    await filters.locator('select[name=group_by]').selectOption('channel');
    await page.getByRole('img', { name: /Created and solved by channel/ }).waitFor();
    await expect
      .poll(() =>
        page.getByRole('img', { name: /Created and solved by channel/ }).getAttribute('data-points'),
      )
      .toBe('1');

    // Back to every channel: the agent filter keeps the agent's ticket, the team filter the team's.
    await filters.locator('select[name=channel]').selectOption('');
    await filters.locator('select[name=group_by]').selectOption('intent');
    await expect.poll(() => card('Created').textContent()).toBe('4');
    await filters.locator('select[name=agent]').selectOption({ label: agentName });
    await expect.poll(() => card('Created').textContent()).toBe('1');
    expect(await card('Solved').textContent()).toBe('1');
    expect(await card('CSAT').textContent()).toBe('100%');
    await filters.locator('select[name=agent]').selectOption('');
    await filters.locator('select[name=team]').selectOption({ label: 'Live chat' });
    await expect.poll(() => card('Created').textContent()).toBe('1');
    expect(await card('Solved').textContent()).toBe('0');
    expect(await card('CSAT').textContent()).toBe('—');
    await page.getByRole('img', { name: /Created and solved by intent/ }).waitFor();
    await filters.locator('select[name=team]').selectOption('');
    await expect.poll(() => card('Created').textContent()).toBe('4');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('region', { name: 'Agents' }).getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^kpis-agents-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/agent/i);
    await page.getByRole('link', { name: 'Manage themes and survey campaigns' }).click();
    await page.getByRole('heading', { name: 'NPS and CES campaigns' }).waitFor();
    expect(problems.unexpected()).toEqual([]);
  });
});
