import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import type { App } from '../../src/platform/http/server.ts';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeWorkspace } from '../support/factories.ts';
import { testApp } from '../support/http.ts';

describe.runIf(browserAvailable())('sign-in page in Chromium', () => {
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
    const { admin, workspace } = await makeWorkspace(database.db);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(base);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('email or password');
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(workspace.name).waitFor();
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/sign-in.png' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(errors).toEqual([]);
  });
});
