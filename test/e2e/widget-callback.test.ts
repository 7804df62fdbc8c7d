import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackRequests } from '../../src/db/schema/index.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { browserAvailable, launchBrowser, signInToConsole, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeUser, makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { serveHostPage } from '../support/host-page.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

describe.runIf(browserAvailable())('call back requests from the chat widget in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let host: { server: Server; url: string };
  let workspaceId: string;
  let agent: { email: string };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const world = await makeWorkspace(database.db);
    workspaceId = world.workspace.id;
    agent = await makeUser(database.db, workspaceId, 'agent');
    live = await startLiveApp(database, workspaceId);
    host = await serveHostPage(`<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1>
      <script src="${live.url}/widget.js" data-workspace="${world.workspace.slug}" async></script></body></html>`);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
    host?.server.close();
  });

  it('takes a number and a time on the visitor’s clock, and agents find it on the Call backs page', async () => {
    const context = await browser.newContext({
      viewport: { width: 1024, height: 800 },
      timezoneId: 'Asia/Tokyo',
    });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const widget = page.getByRole('dialog');
    await widget.getByRole('button', { name: 'Request a call back' }).click();
    const form = widget.getByRole('form', { name: 'Request a call back' });
    await form.getByText('(Asia/Tokyo)').waitFor();
    await form.getByLabel('Phone number').fill('+81 3 1234 5678');
    await form.getByLabel('Best time to call').fill('2031-03-06T10:15');
    await page.screenshot({ path: `${shots}/widget-callback-form.png` });
    await form.getByRole('button', { name: 'Call me back' }).click();
    await widget
      .getByText('Please call me back on +81 3 1234 5678 at 2031-03-06 10:15 (Asia/Tokyo).')
      .waitFor();
    await widget
      .getByRole('status')
      .getByText(/Call back requested: we will call \+81 3 1234 5678/)
      .waitFor();
    await page.screenshot({ path: `${shots}/widget-callback-confirmed.png` });
    const queued = await database.db
      .select()
      .from(callbackRequests)
      .where(eq(callbackRequests.workspaceId, workspaceId));
    expect(queued).toHaveLength(1);
    expect(queued[0]!.preferredAt.toISOString()).toBe('2031-03-06T01:15:00.000Z');
    expect(problems.unexpected()).toEqual([]);

    const consolePage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInToConsole(consolePage, live.url, agent.email, TEST_PASSWORD);
    await consolePage.getByRole('link', { name: 'Call backs' }).click();
    await consolePage.getByRole('heading', { name: 'Call backs' }).waitFor();
    const row = consolePage.getByRole('row').filter({ hasText: '+81 3 1234 5678' });
    await row.getByText(/10:15 their time \(Asia\/Tokyo\)/).waitFor();
    await consolePage.screenshot({ path: `${shots}/widget-callback-console.png` });
  });
});
