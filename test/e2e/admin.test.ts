import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { browserAvailable, launchBrowser, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeUser, makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

describe.runIf(browserAvailable())('admin pages in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let admin: { email: string };
  let agent: { email: string; name: string };

  async function signIn(page: Page, email: string) {
    await page.goto(live.url);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Unassigned' }).waitFor();
  }

  beforeAll(async () => {
    database = await sharedDatabase('pglite');
    const world = await makeWorkspace(database.db);
    admin = world.admin;
    agent = await makeUser(database.db, world.workspace.id, 'agent');
    live = await startLiveApp(database, world.workspace.id);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it('greets an empty workspace, creates a team that appears in the sidebar, and issues a token once', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchConsole(page);
    await signIn(page, admin.email);
    await page.getByRole('button', { name: /Load demo data/ }).waitFor();

    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Teams' }).first().click();
    await page.getByRole('button', { name: 'New team' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Returns');
    await dialog.getByRole('checkbox', { name: new RegExp(agent.name) }).check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Team Returns was created.').waitFor();
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: /^Returns/ })
      .waitFor();

    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByLabel('Name').fill('Reporting script');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText(/shown only once/).waitFor();
    expect(await page.getByLabel('Token Reporting script').inputValue()).toMatch(/^rpt_[A-Za-z0-9_-]{20,}$/);

    // Both changes are in the audit log, the token's value nowhere.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByText('POST /api/v1/tokens').waitFor();
    await page.getByText('POST /api/v1/teams').waitFor();
    expect(await page.locator('main, body').first().textContent()).not.toMatch(/rpt_[A-Za-z0-9_-]{20,}/);
    expect(problems.unexpected()).toEqual([]);
  });

  it('shows agents only the settings they may use', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const problems = watchConsole(page);
    await signIn(page, agent.email);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'API tokens' }).waitFor();
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    expect(problems.unexpected()).toEqual([]);
  });
});
