import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import type { App } from '../../src/platform/http/server.ts';
import { browserAvailable, launchBrowser, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeWorkspace } from '../support/factories.ts';
import { testApp } from '../support/http.ts';

describe.runIf(browserAvailable())('console sign-in in Chromium', () => {
  let database: Database;
  let app: App;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    database = await sharedDatabase('pglite');
    app = await testApp(database);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('signs an agent in and out, and shows a wrong password plainly', async () => {
    const { admin } = await makeWorkspace(database.db);
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await page.goto(base);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('email or password');
    // The browser reports the refused login's 401 itself; that one is expected.
    problems.expect(/status of 401/);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as ${admin.name}`).waitFor();
    await page.getByRole('heading', { name: 'Unassigned' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(problems.unexpected()).toEqual([]);
  });
});
